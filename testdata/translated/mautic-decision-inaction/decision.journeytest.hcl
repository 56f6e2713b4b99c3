# Green path: the contact opens the email a day later; the next action
# runs at that moment, and the red path never does.
scenario "opens within the delay: the green path at the moment of the open" {
  campaign = campaign.whitepaper
  start    = "2025-03-10T10:00:00+01:00"
  for      = "7d"
  contact  = { email = "lea@example.com", first_name = "Léa" }

  event {
    at = "2025-03-11T08:42:00+01:00"
    on = email_opened(email.whitepaper)
  }

  expect {
    sent = email.webinar_invite
    at   = "2025-03-11T08:42:00+01:00"
  }
  expect {
    never_sent = email.reminder
  }
}

# Red path: no open; when the 2 days are up the contact goes down it.
scenario "no open: the red path when the delay runs out" {
  campaign = campaign.whitepaper
  start    = "2025-03-10T10:00:00+01:00"
  for      = "7d"
  contact  = { email = "lea@example.com", first_name = "Léa" }

  expect {
    sent = email.reminder
    at   = "2025-03-12T10:00:00+01:00"
  }
  expect {
    never_sent = email.webinar_invite
  }
}

# An open after the delay ran out comes too late: the contact has already
# gone down the red path.
scenario "opens after the delay: too late for the green path" {
  campaign = campaign.whitepaper
  start    = "2025-03-10T10:00:00+01:00"
  for      = "7d"
  contact  = { email = "lea@example.com", first_name = "Léa" }

  event {
    at = "2025-03-13T09:00:00+01:00"
    on = email_opened(email.whitepaper)
  }

  expect {
    sent = email.reminder
    at   = "2025-03-12T10:00:00+01:00"
  }
  expect {
    never_sent = email.webinar_invite
  }
}
