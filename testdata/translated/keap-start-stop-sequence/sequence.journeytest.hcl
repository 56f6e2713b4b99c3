# Started again on day 1 while still in it: no reset, tip 2 three days
# after tip 1 as before. A reset would have sent tip 2 on day 4.
scenario "starting a sequence the contact is in does not reset it" {
  campaign = campaign.tips
  start    = "2025-11-03T10:00:00-05:00"
  for      = "10d"
  contact  = { email = "ola@example.com" }

  event {
    at = "2025-11-04T10:00:00-05:00"
    on = tag_added(tag.start_tips)
  }

  expect {
    sent = email.tip_1
    at   = "2025-11-03T10:00:00-05:00"
  }
  expect {
    sent = email.tip_2
    at   = "2025-11-06T09:00:00-05:00"
  }
}

# Stopped on day 1, started on day 2: from the very beginning, tip 1
# again, tip 2 three days later.
scenario "stop, then start: from the beginning" {
  campaign = campaign.tips
  start    = "2025-11-03T10:00:00-05:00"
  for      = "10d"
  contact  = { email = "ola@example.com" }

  event {
    at = "2025-11-04T10:00:00-05:00"
    on = tag_added(tag.stop_tips)
  }
  event {
    at = "2025-11-05T14:00:00-05:00"
    on = tag_added(tag.start_tips)
  }

  expect {
    sent = email.tip_1
    at   = "2025-11-03T10:00:00-05:00"
  }
  expect {
    sent = email.tip_1
    at   = "2025-11-05T14:00:00-05:00"
  }
  expect {
    sent = email.tip_2
    at   = "2025-11-08T09:00:00-05:00"
  }
}

# Stopped: the contact gets nothing more from it.
scenario "stopped: nothing more" {
  campaign = campaign.tips
  start    = "2025-11-03T10:00:00-05:00"
  for      = "10d"
  contact  = { email = "ola@example.com" }

  event {
    at = "2025-11-04T10:00:00-05:00"
    on = tag_added(tag.stop_tips)
  }

  expect {
    never_sent = email.tip_2
  }
}
