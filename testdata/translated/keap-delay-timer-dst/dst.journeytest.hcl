# New York springs forward on Sunday 2027-03-14 and falls back on Sunday
# 2027-11-07, both at 02:00.

scenario "1 day at 9 AM across spring forward: 9 AM the next date" {
  campaign = campaign.one_day_at_nine
  start    = "2027-03-13T13:00:00-05:00"
  for      = "3d"
  contact  = { email = "dee@example.com" }

  expect {
    sent = email.follow_up
    at   = "2027-03-14T09:00:00-04:00"
  }
}

scenario "1 day at 9 AM across fall back: 9 AM the next date" {
  campaign = campaign.one_day_at_nine
  start    = "2027-11-06T13:00:00-04:00"
  for      = "3d"
  contact  = { email = "dee@example.com" }

  expect {
    sent = email.follow_up
    at   = "2027-11-07T09:00:00-05:00"
  }
}

# 24 hours after 1 PM on the Saturday is 2 PM on the Sunday, since that
# day has 23 hours.
scenario "24 hours across spring forward: a full 24 hours" {
  campaign = campaign.twenty_four_hours
  start    = "2027-03-13T13:00:00-05:00"
  for      = "3d"
  contact  = { email = "dee@example.com" }

  expect {
    sent = email.follow_up
    at   = "2027-03-14T14:00:00-04:00"
  }
}

# 24 hours after 1 PM on the Saturday is noon on the Sunday, since that
# day has 25 hours.
scenario "24 hours across fall back: a full 24 hours" {
  campaign = campaign.twenty_four_hours
  start    = "2027-11-06T13:00:00-04:00"
  for      = "3d"
  contact  = { email = "dee@example.com" }

  expect {
    sent = email.follow_up
    at   = "2027-11-07T12:00:00-05:00"
  }
}
