# testGetParameterValue: the month and day match, whatever the year.
scenario "the anniversary of the date, every year" {
  campaign = campaign.birthdays
  start    = "2025-01-10T12:00:00Z"
  for      = "450d"
  contact  = { email = "noor@example.com", birthday = "1987-03-02" }

  expect {
    sent = email.birthday_greeting
    at   = "2025-03-02T08:00:00Z"
  }
  expect {
    sent = email.birthday_greeting
    at   = "2026-03-02T08:00:00Z"
  }
}

# testGetParameterValueWithRelativeDate: on 2018-03-02, "birthday +2days"
# matches the contacts born on 4 March.
scenario "birthday +2days: two days before the birthday" {
  campaign = campaign.birthdays_ahead
  start    = "2018-01-10T12:00:00Z"
  for      = "60d"
  contact  = { email = "noor@example.com", birthday = "1990-03-04" }

  expect {
    sent = email.birthday_coming
    at   = "2018-03-02T08:00:00Z"
  }
}

# Mautic greets a leap-day birthday only in leap years: in 2027 never, in
# 2028 on 29 February. KNOWN DIFFERENCE: journey greets on 28 February in
# 2027.
scenario "born on 29 February" {
  campaign = campaign.birthdays
  start    = "2026-06-01T12:00:00Z"
  for      = "700d"
  contact  = { email = "leap@example.com", birthday = "2000-02-29" }

  expect {
    sent = email.birthday_greeting
    at   = "2027-02-28T08:00:00Z"
  }
  expect {
    sent = email.birthday_greeting
    at   = "2028-02-29T08:00:00Z"
  }
}
