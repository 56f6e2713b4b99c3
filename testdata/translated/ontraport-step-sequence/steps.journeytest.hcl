# Subscribed at 08:00: day 0's blank time is 10 AM that day; day 5 and
# day 10 follow at 10 AM.
scenario "blank times: 10 AM on days 0, 5 and 10" {
  campaign = campaign.welcome_blank_times
  start    = "2025-05-05T08:00:00-07:00"
  for      = "15d"
  contact  = { email = "lee@example.com" }

  expect {
    sent = email.day_0
    at   = "2025-05-05T10:00:00-07:00"
  }
  expect {
    sent = email.day_5
    at   = "2025-05-10T10:00:00-07:00"
  }
  expect {
    sent = email.day_10
    at   = "2025-05-15T10:00:00-07:00"
  }
}

scenario "set times: each step at its own time" {
  campaign = campaign.welcome_set_times
  start    = "2025-05-05T08:00:00-07:00"
  for      = "15d"
  contact  = { email = "lee@example.com" }

  expect {
    sent = email.day_0
    at   = "2025-05-05T18:30:00-07:00"
  }
  expect {
    sent = email.day_5
    at   = "2025-05-10T07:15:00-07:00"
  }
  expect {
    sent = email.day_10
    at   = "2025-05-15T07:15:00-07:00"
  }
}
