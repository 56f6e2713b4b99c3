# The contact buys on day 3, between the second and third nurture emails:
# the nurture sequence stops (no third email), the sequence after the goal
# starts at once, and the tips, which run until completed, all arrive.
scenario "a goal stops the sequence before it, not one that runs until completed" {
  campaign = campaign.course_launch
  start    = "2025-04-07T12:00:00-04:00"
  for      = "10d"
  contact  = { email = "val@example.com" }

  event {
    at = "2025-04-10T16:20:00-04:00"
    on = product_purchased(product.course)
  }

  expect {
    sent = email.nurture_2
    at   = "2025-04-09T10:00:00-04:00"
  }
  expect {
    never_sent = email.nurture_3
  }
  expect {
    sent = email.welcome_student
    at   = "2025-04-10T16:20:00-04:00"
  }
  expect {
    sent = email.tip_3
    at   = "2025-04-12T08:00:00-04:00"
  }
}

# Without the goal, the whole nurture sequence runs.
scenario "no goal: every nurture email" {
  campaign = campaign.course_launch
  start    = "2025-04-07T12:00:00-04:00"
  for      = "10d"
  contact  = { email = "val@example.com" }

  expect {
    sent = email.nurture_3
    at   = "2025-04-11T10:00:00-04:00"
  }
  expect {
    never_sent = email.welcome_student
  }
}
