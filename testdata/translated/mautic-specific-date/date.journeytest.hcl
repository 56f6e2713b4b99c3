scenario "before the date: on the date" {
  campaign = campaign.black_friday
  start    = "2030-11-04T15:30:00-06:00"
  for      = "30d"
  contact  = { email = "rae@example.com" }

  expect {
    sent = email.black_friday
    at   = "2030-11-29T06:00:00-06:00"
  }
}

scenario "after the date: overdue, so at once" {
  campaign = campaign.black_friday
  start    = "2030-11-30T15:30:00-06:00"
  for      = "30d"
  contact  = { email = "rae@example.com" }

  expect {
    sent = email.black_friday
    at   = "2030-11-30T15:30:00-06:00"
  }
}
