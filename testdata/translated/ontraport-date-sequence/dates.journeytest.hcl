# The question's case: the box is not checked, the birthday's year (1990)
# is past, nothing goes out.
scenario "a birthday step not set to every year: never" {
  campaign = campaign.birthday_not_every_year
  start    = "2030-01-06T12:00:00-05:00"
  for      = "400d"
  contact  = { email = "mo@example.com", birthday = "1990-06-12" }

  expect {
    never_sent = email.birthday
  }
}

# The answer: with the box checked, on the month and day, every year, at
# 10 AM (blank time).
scenario "a birthday step set to every year: every year at 10 AM" {
  campaign = campaign.birthday_every_year
  start    = "2030-01-06T12:00:00-05:00"
  for      = "600d"
  contact  = { email = "mo@example.com", birthday = "1990-06-12" }

  expect {
    sent = email.birthday
    at   = "2030-06-12T10:00:00-04:00"
  }
  expect {
    sent = email.birthday
    at   = "2031-06-12T10:00:00-04:00"
  }
}

scenario "a literal date: that date at 10 AM" {
  campaign = campaign.valentines
  start    = "2031-01-06T12:00:00-05:00"
  for      = "60d"
  contact  = { email = "mo@example.com" }

  expect {
    sent = email.valentines
    at   = "2031-02-14T10:00:00-05:00"
  }
}
