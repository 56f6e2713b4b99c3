# Source: Mautic user documentation, mautic/user-documentation,
#   docs/campaigns/campaign_builder.rst, "Notes on delayed conditions and
#   dates".
#
# What Mautic documents: a delay set on a condition is respected before the
# delay of the action connected to it. The page's example: on the negative
# path of "Opens Email", a condition "has active notification" with a
# relative date of 1 day, then "Send Email" on its negative path with a
# relative date of 2 days: Mautic checks after 1 day whether there is an
# active notification and, if there is not, schedules the email for two
# days later. The same section says conditions are evaluated at once: the
# contact does not wait for a condition to become true.
#
# Translation: the 1 day on the red path of "Opens Email" is the decision's
# within; the condition is a journey `condition` on a tag standing for the
# active notification (journey has no web notifications); the 2 days are
# a wait before the email.

account {
  time_zone = "Europe/Berlin"
}

form "signup" {}

tag "notification_active" {
  description = "Stands for Mautic's \"has active notification\"."
}

email "announcement" {
  subject = "Something new"
  body    = "Hello ${contact.first_name}"
  kind    = "transactional"
}

email "nudge" {
  subject = "In case you missed it"
  body    = "Hello again ${contact.first_name}"
}

campaign "announcement" {
  trigger "signed_up" {
    on   = form_submitted(form.signup)
    next = send_email.announcement
  }

  send_email "announcement" {
    email = email.announcement
    next  = decision.opened
  }

  decision "opened" {
    on     = email_opened(email.announcement)
    within = "1d"
    no     = condition.has_notification
  }

  condition "has_notification" {
    if   = has_tag(tag.notification_active)
    else = wait.two_days
  }

  wait "two_days" {
    for  = "2d"
    next = send_email.nudge
  }

  send_email "nudge" {
    email = email.nudge
  }
}
