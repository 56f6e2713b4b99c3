# Phoenix keeps standard time all year (UTC-7), so the offsets below do
# not move.

# 1 day is the next calendar date, not 24 hours: from Tuesday 16:45,
# Wednesday at 09:00.
scenario "1 day at 9 AM: the next calendar date at 9 AM" {
  campaign = campaign.one_day_at_nine
  start    = "2025-09-09T16:45:00-07:00"
  for      = "3d"
  contact  = { email = "dee@example.com" }

  expect {
    sent = email.follow_up
    at   = "2025-09-10T09:00:00-07:00"
  }
}

# Hours, and 5 PM has not passed when they are up: the same day at 5 PM.
scenario "2 hours then 5 PM, not yet passed: the same day" {
  campaign = campaign.two_hours_at_five
  start    = "2025-09-09T10:00:00-07:00"
  for      = "3d"
  contact  = { email = "dee@example.com" }

  expect {
    sent = email.follow_up
    at   = "2025-09-09T17:00:00-07:00"
  }
}

# Hours, and 5 PM has passed when they are up (18:00): the next day at
# 5 PM.
scenario "2 hours then 5 PM, already passed: the next day" {
  campaign = campaign.two_hours_at_five
  start    = "2025-09-09T16:00:00-07:00"
  for      = "3d"
  contact  = { email = "dee@example.com" }

  expect {
    sent = email.follow_up
    at   = "2025-09-10T17:00:00-07:00"
  }
}

# Week Day(s) leaves out the weekend: 1 day from Friday is Saturday, so
# Monday at 9 AM.
scenario "1 day on week days from a Friday: Monday at 9 AM" {
  campaign = campaign.one_weekday_at_nine
  start    = "2025-09-12T11:00:00-07:00"
  for      = "5d"
  contact  = { email = "dee@example.com" }

  expect {
    sent = email.follow_up
    at   = "2025-09-15T09:00:00-07:00"
  }
}

# Between 9 AM and 5 PM: an hour after 16:30 is 17:30, outside, so the
# next acceptable time, 9 AM the next day.
scenario "1 hour between 9 and 5, ending after 5: 9 AM the next day" {
  campaign = campaign.one_hour_business_hours
  start    = "2025-09-09T16:30:00-07:00"
  for      = "3d"
  contact  = { email = "dee@example.com" }

  expect {
    sent = email.follow_up
    at   = "2025-09-10T09:00:00-07:00"
  }
}

# In the contact's time zone: 9 AM in Sydney.
scenario "1 day at 9 AM in the contact's time zone" {
  campaign = campaign.one_day_at_nine_their_time
  start    = "2025-09-09T16:45:00-07:00"
  for      = "3d"
  contact  = { email = "kai@example.com", time_zone = "Australia/Sydney" }

  expect {
    sent = email.follow_up
    at   = "2025-09-11T09:00:00+10:00"
  }
}
