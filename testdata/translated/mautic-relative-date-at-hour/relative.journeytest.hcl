# testEventDoesNotGetRescheduledForRelativeTimeWhenValidated: Mautic 5.x
# runs it on 2018-09-01 at 09:00 New York time; journey, deliberately, on
# the next calendar day.
scenario "1 day at 09:00 from 17:00: the next calendar day at 09:00" {
  campaign = campaign.next_day_at_nine
  start    = "2018-08-30T17:00:00-04:00"
  for      = "5d"
  contact  = { email = "ny@example.com", time_zone = "America/New_York" }

  expect {
    sent = email.follow_up
    at   = "2018-08-31T09:00:00-04:00"
  }
}

# testEventIsRescheduledForRelativeTimeIfAppropriate: Mautic 5.x runs it
# on 2018-09-01 at 11:00 New York time; journey, deliberately, on the next
# calendar day.
scenario "1 day at 11:00 from 13:00: the next calendar day at 11:00" {
  campaign = campaign.next_day_at_eleven
  start    = "2018-08-30T17:00:00Z"
  for      = "5d"
  contact  = { email = "ny@example.com", time_zone = "America/New_York" }

  expect {
    sent = email.follow_up
    at   = "2018-08-31T11:00:00-04:00"
  }
}
