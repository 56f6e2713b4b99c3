# reader2@example.com takes version A (journey simulate shows it).
scenario "a contact on version A gets A, not B" {
  campaign = campaign.offer_test
  start    = "2025-07-01T09:00:00Z"
  for      = "2d"
  contact  = { email = "reader2@example.com" }

  expect {
    sent = email.version_a
    at   = "2025-07-01T09:00:00Z"
  }
  expect {
    never_sent = email.version_b
  }
}

# reader1@example.com takes version B.
scenario "a contact on version B gets B, not A" {
  campaign = campaign.offer_test
  start    = "2025-07-01T09:00:00Z"
  for      = "2d"
  contact  = { email = "reader1@example.com" }

  expect {
    sent = email.version_b
    at   = "2025-07-01T09:00:00Z"
  }
  expect {
    never_sent = email.version_a
  }
}
