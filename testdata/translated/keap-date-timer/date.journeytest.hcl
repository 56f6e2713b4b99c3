scenario "a date ahead: on that date, at that time" {
  campaign = campaign.cyber_monday
  start    = "2030-11-20T14:00:00-05:00"
  for      = "20d"
  contact  = { email = "bo@example.com" }

  expect {
    sent = email.cyber_monday
    at   = "2030-12-02T09:00:00-05:00"
  }
  expect {
    sent = email.last_call
    at   = "2030-12-04T09:00:00-05:00"
  }
}

scenario "the contact's time zone: that time where the contact is" {
  campaign = campaign.cyber_monday_their_time
  start    = "2030-11-20T14:00:00-05:00"
  for      = "20d"
  contact  = { email = "mika@example.com", time_zone = "Europe/Helsinki" }

  expect {
    sent = email.cyber_monday
    at   = "2030-12-02T09:00:00+02:00"
  }
}

# Keap: the contact enters on 5 December, after the date: the promotion is
# skipped, and the contact lands on the next timer, the two-day delay.
# KNOWN DIFFERENCE: journey sends the promotion at once, on entry; the
# last call comes at the same time in both.
scenario "a date already past" {
  campaign = campaign.cyber_monday
  start    = "2030-12-05T14:00:00-05:00"
  for      = "20d"
  contact  = { email = "bo@example.com" }

  expect {
    sent = email.cyber_monday
    at   = "2030-12-05T14:00:00-05:00"
  }
  expect {
    sent = email.last_call
    at   = "2030-12-07T09:00:00-05:00"
  }
}
