# "test on allowed day" (IntervalTest, Mautic 5.x): scheduled on Sunday
# 2018-10-21 at 08:00, allowed days [0] (Sunday): it runs then.
scenario "on an allowed day: at once" {
  campaign = campaign.sundays_only
  start    = "2018-10-21T08:00:00Z"
  for      = "8d"
  contact  = { email = "ana@example.com" }

  expect {
    sent = email.digest
    at   = "2018-10-21T08:00:00Z"
  }
}

# "test on restricted days": scheduled on Sunday 2018-10-21 at 08:00,
# allowed days [3, 5] (Wednesday, Friday): it runs on Wednesday
# 2018-10-24 at 08:00.
scenario "on a restricted day: the next allowed day, same time" {
  campaign = campaign.wednesdays_and_fridays
  start    = "2018-10-21T08:00:00Z"
  for      = "8d"
  contact  = { email = "ana@example.com" }

  expect {
    sent = email.digest
    at   = "2018-10-24T08:00:00Z"
  }
}

# "test combination of rules": scheduled on Saturday 2018-10-20 at 12:00,
# window 08:00-10:00, allowed days [5, 6] (Friday, Saturday): past the
# close, so Sunday 08:00, not allowed, so Friday 2018-10-26 at 08:00.
scenario "window and days together: the opening of the next allowed day" {
  campaign = campaign.friday_saturday_mornings
  start    = "2018-10-20T12:00:00Z"
  for      = "8d"
  contact  = { email = "ana@example.com" }

  expect {
    sent = email.digest
    at   = "2018-10-26T08:00:00Z"
  }
}

# testEventDoesNotGetRescheduledForRelativeTimeWithDowWhenValidated
# (EventSchedulerTest, Mautic 5.x): a New York contact checked on Friday
# 2018-08-31 at 13:00 New York time, window 10:00-20:00, allowed day that
# Friday: Mautic runs it then and does not reschedule it.
scenario "inside the window on an allowed day: at once" {
  campaign = campaign.friday_daytime_new_york
  start    = "2018-08-31T13:00:00-04:00"
  for      = "8d"
  contact  = { email = "ny@example.com", time_zone = "America/New_York" }

  expect {
    sent = email.digest
    at   = "2018-08-31T13:00:00-04:00"
  }
}
