# testContactsAreGrouped (IntervalTest, Mautic 5.x): every contact is
# scheduled at 2018-10-18 06:00 Los Angeles time; the hour is 06:00.

scenario "Los Angeles: the hour is now, so at once" {
  campaign = campaign.six_am
  start    = "2018-10-18T06:00:00-07:00"
  for      = "3d"
  contact  = { email = "la@example.com", time_zone = "America/Los_Angeles" }

  expect {
    sent = email.morning_briefing
    at   = "2018-10-18T06:00:00-07:00"
  }
}

scenario "North Dakota: 08:00 there, so 06:00 the next day" {
  campaign = campaign.six_am
  start    = "2018-10-18T06:00:00-07:00"
  for      = "3d"
  contact  = { email = "nd@example.com", time_zone = "America/North_Dakota/Center" }

  expect {
    sent = email.morning_briefing
    at   = "2018-10-19T06:00:00-05:00"
  }
}

scenario "no zone: the account's, 09:00 there, so 06:00 the next day" {
  campaign = campaign.six_am
  start    = "2018-10-18T06:00:00-07:00"
  for      = "3d"
  contact  = { email = "nozone@example.com" }

  expect {
    sent = email.morning_briefing
    at   = "2018-10-19T06:00:00-04:00"
  }
}

scenario "an unknown zone: the account's, so 06:00 the next day" {
  campaign = campaign.six_am
  start    = "2018-10-18T06:00:00-07:00"
  for      = "3d"
  contact  = { email = "bad@example.com", time_zone = "Bad/Timezone" }

  expect {
    sent = email.morning_briefing
    at   = "2018-10-19T06:00:00-04:00"
  }
}

# "test on specified hour" (testBatchRescheduling): scheduled at 16:00
# UTC, hour 16:00, contact in UTC: it runs at 16:00.
scenario "scheduled at the hour itself: at once" {
  campaign = campaign.four_pm
  start    = "2018-10-18T16:00:00Z"
  for      = "3d"
  contact  = { email = "utc@example.com", time_zone = "UTC" }

  expect {
    sent = email.morning_briefing
    at   = "2018-10-18T16:00:00Z"
  }
}
