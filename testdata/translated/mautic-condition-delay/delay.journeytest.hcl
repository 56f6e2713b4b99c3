# No open and no notification: checked after 1 day, the email two days
# after that.
scenario "checked after 1 day, then the email 2 days later" {
  campaign = campaign.announcement
  start    = "2025-06-02T09:00:00+02:00"
  for      = "7d"
  contact  = { email = "jonas@example.com" }

  expect {
    sent = email.nudge
    at   = "2025-06-05T09:00:00+02:00"
  }
}

# An active notification when the condition is checked: the negative path
# is not taken.
scenario "the condition holds when checked: no email" {
  campaign = campaign.announcement
  start    = "2025-06-02T09:00:00+02:00"
  for      = "7d"
  contact  = { email = "jonas@example.com", tags = ["notification_active"] }

  expect {
    never_sent = email.nudge
  }
}

# The notification arrives half a day after the check: the condition was
# evaluated at once and the contact did not wait for it to become true, so
# the email still goes.
scenario "the condition becomes true after the check: too late" {
  campaign = campaign.announcement
  start    = "2025-06-02T09:00:00+02:00"
  for      = "7d"
  contact  = { email = "jonas@example.com" }

  event {
    at = "2025-06-03T21:00:00+02:00"
    on = tag_added(tag.notification_active)
  }

  expect {
    sent = email.nudge
    at   = "2025-06-05T09:00:00+02:00"
  }
}
