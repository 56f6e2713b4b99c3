# Source: Keap (Infusionsoft) help, "Date Timers",
#   https://help.infusionsoft.com/hc/en-us/articles/45262053124237
#
# What Keap documents: a date timer runs the next items on a date, at a
# time of day (or between two times, or any time), in the account's time
# zone or, when set, the contact's. When a contact enters the sequence
# after the timer's date and time have passed, it jumps past every item of
# the sequence until it finds a live, current timer to land on: the items
# that belonged to the past date are not run.
#
# Translation: a date timer is a wait with `until` (and time_zone); the
# items after it are the actions that follow the wait. The last call after
# the promotion is a delay timer: a wait with `for` and `at`.
#
# KNOWN DIFFERENCE (a date already past): journey's wait with a past
# `until` fires at once, so the contact gets the promotion the moment it
# enters, where Keap skips it and goes straight to the next timer
# (RUNTIME.md, Timing semantics: "`until` in the past fires at once",
# as Mautic does, see mautic-specific-date). RUNTIME.md does not list this
# as a deliberate difference from Keap. The scenario asserts what journey
# does today.

account {
  time_zone = "America/New_York"
}

form "signup" {}

email "cyber_monday" {
  subject = "Cyber Monday: 40% off"
  body    = "Hi ${contact.first_name}"
  kind    = "transactional"
}

email "last_call" {
  subject = "Last call: 40% off ends tonight"
  body    = "Hi ${contact.first_name}"
  kind    = "transactional"
}

campaign "cyber_monday" {
  trigger "signed_up" {
    on   = form_submitted(form.signup)
    next = wait.on_cyber_monday
  }

  wait "on_cyber_monday" {
    until = "2030-12-02T09:00"
    next  = send_email.cyber_monday
  }

  send_email "cyber_monday" {
    email = email.cyber_monday
    next  = wait.two_days
  }

  wait "two_days" {
    for  = "2d"
    at   = "09:00"
    next = send_email.last_call
  }

  send_email "last_call" {
    email = email.last_call
  }
}

campaign "cyber_monday_their_time" {
  trigger "signed_up" {
    on   = form_submitted(form.signup)
    next = wait.on_cyber_monday
  }

  wait "on_cyber_monday" {
    until     = "2030-12-02T09:00"
    time_zone = "contact"
    next      = send_email.cyber_monday
  }

  send_email "cyber_monday" {
    email = email.cyber_monday
  }
}
