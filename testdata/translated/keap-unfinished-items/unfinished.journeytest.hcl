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
