scenario "the marketing email once, the transactional one each time" {
  campaign = campaign.onboarding
  start    = "2025-01-06T10:00:00Z"
  for      = "10d"
  contact  = { email = "sam@example.com", first_name = "Sam" }

  event {
    at = "2025-01-09T10:00:00Z"
    on = tag_added(tag.trial_expired)
  }

  expect {
    sent = email.product_tour
    at   = "2025-01-06T10:00:00Z"
  }
  expect {
    sent = email.account_summary
    at   = "2025-01-07T10:00:00Z"
  }
  expect {
    sent = email.account_summary
    at   = "2025-01-10T10:00:00Z"
  }
  expect {
    has_tag = tag.reached_the_end
  }
}
