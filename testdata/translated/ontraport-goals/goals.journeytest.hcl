# The University's example: the fourth follow-up goes on day 6, and the
# contact buys on day 7, before the fifth (due on day 8). It gets none of
# the other six and starts onboarding at once.
scenario "buys after the fourth follow-up: skips the other six" {
  campaign = campaign.membership_sales
  start    = "2025-02-03T11:00:00-06:00"
  for      = "30d"
  contact  = { email = "eve@example.com" }

  event {
    at = "2025-02-10T09:30:00-06:00"
    on = product_purchased(product.membership)
  }

  expect {
    sent = email.follow_up_4
    at   = "2025-02-09T11:00:00-06:00"
  }
  expect {
    sent = email.welcome_member
    at   = "2025-02-10T09:30:00-06:00"
  }
  expect {
    never_sent = email.follow_up_5
  }
  expect {
    never_sent = email.follow_up_10
  }
}

# No purchase: all ten, two days apart.
scenario "no purchase: all ten follow-ups" {
  campaign = campaign.membership_sales
  start    = "2025-02-03T11:00:00-06:00"
  for      = "30d"
  contact  = { email = "eve@example.com" }

  expect {
    sent = email.follow_up_10
    at   = "2025-02-21T11:00:00-06:00"
  }
  expect {
    never_sent = email.welcome_member
  }
}
