# The welcome and the tag have no timer between them: both at once. The
# unfinished case study is skipped, and the sequence goes on to the next
# ready item: the three-day timer, then the check-in.
scenario "an unfinished email is skipped, the sequence goes on" {
  campaign = campaign.welcome_series
  start    = "2025-10-06T15:00:00-07:00"
  for      = "10d"
  contact  = { email = "ali@example.com" }

  expect {
    sent = email.welcome
    at   = "2025-10-06T15:00:00-07:00"
  }
  expect {
    has_tag = tag.welcomed
  }
  expect {
    never_sent = email.case_study
  }
  expect {
    sent = email.check_in
    at   = "2025-10-11T10:00:00-07:00"
  }
}

# As a step sequence: the welcome at the default send time (10:00) the
# next day, the draft case study passed two days later, the check-in three
# days after that: day 5 from the welcome, as with Keap's timers.
scenario "as a sequence: the draft step is skipped, its days still count" {
  campaign = campaign.welcome_series_sequence
  start    = "2025-10-06T15:00:00-07:00"
  for      = "10d"
  contact  = { email = "ali@example.com" }

  expect {
    sent = email.welcome
    at   = "2025-10-07T10:00:00-07:00"
  }
  expect {
    never_sent = email.case_study
  }
  expect {
    sent = email.check_in
    at   = "2025-10-12T10:00:00-07:00"
  }
}
