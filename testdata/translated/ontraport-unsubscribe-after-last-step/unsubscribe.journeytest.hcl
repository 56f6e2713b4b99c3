# Unsubscribed after the last step (day 2): the opt-in on day 5 runs the
# sequence again, email and all.
scenario "unsubscribed after the last step: an opt-in repeats it" {
  campaign = campaign.ebook_delivery
  start    = "2025-03-03T10:00:00-05:00"
  for      = "10d"
  contact  = { email = "fay@example.com" }

  event {
    at = "2025-03-08T10:00:00-05:00"
    on = form_submitted(form.ebook_optin)
  }

  expect {
    sent = email.ebook
    at   = "2025-03-03T10:00:00-05:00"
  }
  expect {
    sent = email.ebook
    at   = "2025-03-08T10:00:00-05:00"
  }
  expect {
    fields = { points = 20 }
  }
}

# Still subscribed after the last step: the opt-in on day 5 changes
# nothing; the sequence ran to its end once.
scenario "still subscribed: another opt-in never repeats a step" {
  campaign = campaign.welcome
  start    = "2025-03-03T10:00:00-05:00"
  for      = "10d"
  contact  = { email = "fay@example.com" }

  event {
    at = "2025-03-08T10:00:00-05:00"
    on = form_submitted(form.newsletter_optin)
  }

  expect {
    sent = email.ebook
    at   = "2025-03-03T10:00:00-05:00"
  }
  expect {
    fields = { points = 10 }
  }
}
