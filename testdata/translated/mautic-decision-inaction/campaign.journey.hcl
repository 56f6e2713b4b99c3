# Source: Mautic user documentation, mautic/user-documentation,
#   docs/campaigns/campaign_builder.rst, "Notes on Campaign Actions" and
#   "Decisions" ("Green paths", "Red paths").
#
# What Mautic documents: a decision (here: opens the email) has a green
# path, taken when the contact does it, and a red path, taken when the
# contact has not. Actions on the green path run at the moment the contact
# acts. On the red path, the delay of the attached action is how long the
# contact has to act before the campaign goes down that path.
#
# Translation: Mautic's decision with a 2-day delay on its red-path action
# is a journey decision with within = "2d"; the green path is `yes`, the
# red path `no`.

account {
  time_zone = "Europe/Paris"
}

form "whitepaper" {}

email "whitepaper" {
  subject = "Your whitepaper"
  body    = "Here it is, ${contact.first_name}"
  kind    = "transactional"
}

email "webinar_invite" {
  subject = "Join the webinar"
  body    = "Since you read the whitepaper..."
}

email "reminder" {
  subject = "Did you see the whitepaper?"
  body    = "It is still waiting for you."
}

campaign "whitepaper" {
  trigger "downloaded" {
    on   = form_submitted(form.whitepaper)
    next = send_email.whitepaper
  }

  send_email "whitepaper" {
    email = email.whitepaper
    next  = decision.opened
  }

  decision "opened" {
    on     = email_opened(email.whitepaper)
    within = "2d"
    yes    = send_email.webinar_invite
    no     = send_email.reminder
  }

  send_email "webinar_invite" {
    email = email.webinar_invite
  }

  send_email "reminder" {
    email = email.reminder
  }
}
