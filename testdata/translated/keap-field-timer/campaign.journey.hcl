# Sources: Keap (Infusionsoft) help, "Campaign Sequence - Field Timers",
#   https://infusionsoft-sandbox.knowledgeowl.com/help/field-timers; and
#   Monkeypod Marketing (a Keap certified partner), "Keap Timers",
#   https://www.monkeypodmarketing.com/keap-timers/
#
# What they document: a field timer runs the next items a number of days
# (or weeks, months) before or after a date field of the contact, at a
# specific time of day or any time, in the account's or the contact's time
# zone. "Next Occurrence" looks at the month and day only, so the items
# come round every year; "Use Year from Field" looks at the full date and
# runs once. The timer uses the field's value at the moment the contact
# enters the sequence: a date changed afterwards does not reschedule it,
# and a field still empty then leaves the timer unscheduled.
#
# Translation: in a campaign, a field timer is a wait with until_field,
# offset, at and time_zone; it reads the field when the contact arrives
# (RUNTIME.md). The yearly "Next Occurrence" is a date sequence with an
# annual step, which comes round every year; "Use Year from Field" is a
# step without annual.

account {
  time_zone = "America/Denver"
}

form "booked" {}

field "appointment" {
  type = date
}

field "membership_renewal" {
  type = date
}

email "appointment_reminder" {
  subject = "Your appointment is in a week"
  body    = "Hi ${contact.first_name}, see you on ${contact.appointment}."
  kind    = "transactional"
}

email "renewal_reminder" {
  subject = "Your membership renews in two weeks"
  body    = "Hi ${contact.first_name}"
  kind    = "transactional"
}

campaign "appointment_reminder" {
  trigger "booked" {
    on   = form_submitted(form.booked)
    next = wait.week_before
  }

  wait "week_before" {
    until_field = field.appointment
    offset      = "-7d"
    at          = "09:00"
    next        = send_email.reminder
  }

  send_email "reminder" {
    email = email.appointment_reminder
  }
}

campaign "appointment_reminder_their_time" {
  trigger "booked" {
    on   = form_submitted(form.booked)
    next = wait.week_before
  }

  wait "week_before" {
    until_field = field.appointment
    offset      = "-7d"
    at          = "09:00"
    time_zone   = "contact"
    next        = send_email.reminder
  }

  send_email "reminder" {
    email = email.appointment_reminder
  }
}

sequence "renewal_every_year" {
  kind = "date"

  step "two_weeks_before" {
    schedule {
      on_field = field.membership_renewal
      offset   = "-14d"
      annual   = true
      at       = "08:00"
    }
    email = email.renewal_reminder
  }
}

sequence "renewal_once" {
  kind = "date"

  step "two_weeks_before" {
    schedule {
      on_field = field.membership_renewal
      offset   = "-14d"
      at       = "08:00"
    }
    email = email.renewal_reminder
  }
}

campaign "renewal_next_occurrence" {
  trigger "joined" {
    on   = form_submitted(form.booked)
    next = add_to_sequence.renewal
  }

  add_to_sequence "renewal" {
    sequence = sequence.renewal_every_year
  }
}

campaign "renewal_year_from_field" {
  trigger "joined" {
    on   = form_submitted(form.booked)
    next = add_to_sequence.renewal
  }

  add_to_sequence "renewal" {
    sequence = sequence.renewal_once
  }
}
