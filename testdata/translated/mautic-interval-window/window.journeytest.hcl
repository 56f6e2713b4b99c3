# Each scenario is one data set of IntervalTest::testBatchRescheduling
# (Mautic 5.x): its name, then what Mautic expects.

# "test on before time range": scheduled at 10:00 with the window
# 10:00-11:00, the action runs at 10:00: the opening is inside.
scenario "on the opening of the window: at once" {
  campaign = campaign.ten_to_eleven
  start    = "2018-10-19T10:00:00Z"
  for      = "3d"
  contact  = { email = "utc@example.com", time_zone = "UTC" }

  expect {
    sent = email.newsletter
    at   = "2018-10-19T10:00:00Z"
  }
}

# "test in time range": scheduled at 10:00 with the window 08:00-10:00,
# the action runs the next day at 08:00: the close is outside.
scenario "on the close of the window: the next day's opening" {
  campaign = campaign.morning_window
  start    = "2018-10-19T10:00:00Z"
  for      = "3d"
  contact  = { email = "utc@example.com", time_zone = "UTC" }

  expect {
    sent = email.newsletter
    at   = "2018-10-20T08:00:00Z"
  }
}

# "test on after end time range" (and "... previous day", "... next
# day", the same rule on other dates): scheduled at 12:00 with the window
# 08:00-10:00, the action runs the next day at 08:00.
scenario "after the window: the next day's opening" {
  campaign = campaign.morning_window
  start    = "2018-10-19T12:00:00Z"
  for      = "3d"
  contact  = { email = "utc@example.com", time_zone = "UTC" }

  expect {
    sent = email.newsletter
    at   = "2018-10-20T08:00:00Z"
  }
}

# "test valid timezone": a contact in America/New_York scheduled at 09:00
# UTC (05:00 in New York) with the window 08:00-10:00 runs at 08:00 New
# York time.
scenario "the window is read in the contact's zone" {
  campaign = campaign.morning_window
  start    = "2018-10-19T09:00:00Z"
  for      = "3d"
  contact  = { email = "ny@example.com", time_zone = "America/New_York" }

  expect {
    sent = email.newsletter
    at   = "2018-10-19T08:00:00-04:00"
  }
}

# "test invalid timezone": a contact whose zone is "UTC2", scheduled at
# 13:00 UTC (09:00 in New York, Mautic's default zone in the test), is
# inside 08:00-10:00 there and runs at once.
scenario "a contact zone that is not a zone falls back to the account's" {
  campaign = campaign.morning_window
  start    = "2018-10-19T13:00:00Z"
  for      = "3d"
  contact  = { email = "odd@example.com", time_zone = "UTC2" }

  expect {
    sent = email.newsletter
    at   = "2018-10-19T09:00:00-04:00"
  }
}
