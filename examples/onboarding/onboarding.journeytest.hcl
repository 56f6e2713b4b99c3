# journey test examples/onboarding runs these scenarios on a virtual clock.

scenario "welcome goes at once, the nudge on the next weekday morning" {
  campaign = campaign.trial_onboarding
  start    = "2026-06-12T16:20:00-04:00" # a Friday afternoon
  for      = "3d"
  contact = {
    email      = "ada@example.com"
    first_name = "Ada"
    phone      = "+15550123"
    trial_ends = "2026-06-26"
  }

  expect {
    sent = email.welcome
    at   = "2026-06-12T16:20:00-04:00"
  }
  expect {
    sent = sms.setup_nudge
    at   = "2026-06-15T09:00:00-04:00" # Monday, 09:00: weekdays only
  }
  expect {
    at_element = wait.before_trial_ends
  }
}

scenario "an activated trial gets no nudge" {
  campaign = campaign.trial_onboarding
  start    = "2026-06-10T13:37:00-04:00"
  for      = "5d"
  contact = {
    email      = "grace@example.com"
    first_name = "Grace"
    phone      = "+15550124"
    trial_ends = "2026-06-24"
    tags       = ["activated"]
  }

  expect {
    never_sent = sms.setup_nudge
  }
}

# The campaign sets the trial's end, 14 days from signup; the offer stands
# to the end of that day in the contact's zone.
scenario "trial ending: the offer two days before, 10:00 in the contact's zone" {
  campaign = campaign.trial_onboarding
  start    = "2026-06-10T13:37:00-04:00"
  for      = "30d"
  contact = {
    email      = "ada@example.com"
    first_name = "Ada"
    time_zone  = "Europe/Berlin"
  }

  expect {
    sent = email.trial_ending
    at   = "2026-06-22T10:00:00+02:00"
  }
  expect {
    at_element = decision.chose_starter
    at         = "2026-06-24T23:58:00+02:00"
  }
  expect {
    status = "exited"
  }
  expect {
    fields = { plan = "trial", trial_ends = "2026-06-24" }
  }
}

scenario "buying Pro jumps to the goal from wherever the contact waits" {
  campaign = campaign.trial_onboarding
  start    = "2026-06-10T13:37:00-04:00"
  contact = {
    email      = "ada@example.com"
    first_name = "Ada"
    trial_ends = "2026-06-24"
  }

  event {
    after = "3d"
    on    = product_purchased(product.pro)
  }

  expect {
    sent   = email.thanks
    within = "3d"
  }
  expect {
    never_sent = email.trial_ending
  }
  expect {
    has_tag = tag.customer
  }
  expect {
    lacks_tag = tag.trial
  }
  expect {
    fields = { plan = "pro" }
  }
  expect {
    status = "exited"
  }
}

scenario "the offer ends with the trial: a Starter purchase the next morning is too late" {
  campaign = campaign.trial_onboarding
  start    = "2026-06-10T13:37:00-04:00"
  for      = "30d"
  contact = {
    email      = "ada@example.com"
    first_name = "Ada"
    time_zone  = "Europe/Berlin"
  }

  event {
    at = "2026-06-25T08:00:00+02:00"
    on = product_purchased(product.starter)
  }

  expect {
    fields = { plan = "trial" }
  }
  expect {
    lacks_tag = tag.customer
  }
  expect {
    never_sent = email.thanks
  }
}

# The reports tip is a subject-line test: each trial gets one of the two
# versions, the same one every time (Ada the first, Grace the second).
scenario "the reports tip: Ada gets the first subject line, never both" {
  campaign = campaign.trial_onboarding
  start    = "2026-06-10T13:37:00-04:00"
  for      = "10d"
  contact = {
    email      = "ada@example.com"
    first_name = "Ada"
    trial_ends = "2026-06-30"
  }

  expect {
    sent = email.tip_reports
    at   = "2026-06-17T10:00:00-04:00"
  }
  expect {
    never_sent = email.tip_reports_overdue
  }
}

scenario "the reports tip: Grace gets the second subject line, never both" {
  campaign = campaign.trial_onboarding
  start    = "2026-06-10T13:37:00-04:00"
  for      = "10d"
  contact = {
    email      = "grace@example.com"
    first_name = "Grace"
    trial_ends = "2026-06-30"
  }

  expect {
    sent = email.tip_reports_overdue
    at   = "2026-06-17T10:00:00-04:00"
  }
  expect {
    never_sent = email.tip_reports
  }
}
