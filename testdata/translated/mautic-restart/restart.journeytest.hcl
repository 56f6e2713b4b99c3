# Without restart: the contact left on day 2; the form on day 5 does not
# put it back. Had it restarted, it would be waiting again at the end.
scenario "without restart: a contact that left is not added again" {
  campaign = campaign.no_restart
  start    = "2025-02-03T12:00:00Z"
  for      = "5d6h"
  contact  = { email = "kim@example.com" }

  event {
    at = "2025-02-08T12:00:00Z"
    on = form_submitted(form.birthday_club)
  }

  expect {
    sent = email.welcome
    at   = "2025-02-03T12:00:00Z"
  }
  expect {
    status = "exited"
  }
}

# With restart: the form on day 5 starts the campaign over.
scenario "with restart: a contact that left goes through again" {
  campaign = campaign.restart_allowed
  start    = "2025-02-03T12:00:00Z"
  for      = "5d6h"
  contact  = { email = "kim@example.com" }

  event {
    at = "2025-02-08T12:00:00Z"
    on = form_submitted(form.birthday_club)
  }

  expect {
    sent = email.welcome
    at   = "2025-02-03T12:00:00Z"
  }
  expect {
    sent = email.welcome
    at   = "2025-02-08T12:00:00Z"
  }
  expect {
    at_element = wait.two_days
    at         = "2025-02-08T18:00:00Z"
  }
}

# With restart, but the form comes while the contact is still waiting in
# the campaign: nothing restarts, and it leaves on day 2 as before. Had it
# restarted on day 1, it would still be waiting at the end.
scenario "with restart: a contact still in the campaign is not restarted" {
  campaign = campaign.restart_allowed
  start    = "2025-02-03T12:00:00Z"
  for      = "2d6h"
  contact  = { email = "kim@example.com" }

  event {
    at = "2025-02-04T12:00:00Z"
    on = form_submitted(form.birthday_club)
  }

  expect {
    sent = email.welcome
    at   = "2025-02-03T12:00:00Z"
  }
  expect {
    status = "exited"
  }
}
