# Sources: Keap community, "What happens if a field timer is fulfilled
#   late?", https://integration.keap.com/t/what-happens-if-a-field-timer-is-fulfilled-late/67074
#   (the same thread: community.infusionsoft.com/t/67074); and Monkeypod
#   Marketing, "Keap Timers", https://www.monkeypodmarketing.com/keap-timers/
#
# What they say: an appointment sequence sends a reminder a week before
# the appointment and another a day before. For a client who books on 28
# March for 30 March, the week-before timer is already past: Keap skips it
# and the items that hang on it (the campaign history notes that the event
# was in the past and skipped), and the day-before reminder goes on the
# day before. A field timer uses the value the field had when the contact
# entered the sequence; a date changed afterwards does not reschedule it.
#
# Two translations, both kept:
# - as a date sequence, one step per field timer (`on_field`, `offset`);
#   journey skips a step whose date has passed (docs/runtime.md,
#   Sequences), as Keap does;
# - as a campaign, one wait per field timer (until_field, offset).
#
# KNOWN DIFFERENCE (campaign translation): a wait whose until_field date
# has passed fires at once (RUNTIME.md, Timing semantics), so the
# week-before reminder goes the moment the client books, where Keap skips
# it. Not listed as a deliberate difference.
#
# KNOWN DIFFERENCE (date sequence translation): journey schedules each
# date step when the step before it fires (the first on subscription),
# reading the field then, not once when the contact subscribes: a date
# moved after subscribing moves every step not yet scheduled, where Keap
# keeps the value read on entry. Neither docs/runtime.md nor RUNTIME.md
# says when a date step reads its field.

account {
  time_zone = "America/Chicago"
}

form "booked" {}

field "appointment" {
  type = date
}

email "week_before" {
  subject = "Your appointment is in a week"
  body    = "Hi ${contact.first_name}"
  kind    = "transactional"
}

email "day_before" {
  subject = "See you tomorrow"
  body    = "Hi ${contact.first_name}"
  kind    = "transactional"
}

sequence "appointment_reminders" {
  kind = "date"

  step "week_before" {
    schedule {
      on_field = field.appointment
      offset   = "-7d"
      at       = "09:00"
    }
    email = email.week_before
  }

  step "day_before" {
    schedule {
      on_field = field.appointment
      offset   = "-1d"
      at       = "09:00"
    }
    email = email.day_before
  }
}

campaign "reminders_by_sequence" {
  trigger "booked" {
    on   = form_submitted(form.booked)
    next = add_to_sequence.reminders
  }

  add_to_sequence "reminders" {
    sequence = sequence.appointment_reminders
  }
}

campaign "reminders_by_waits" {
  trigger "booked" {
    on   = form_submitted(form.booked)
    next = wait.until_week_before
  }

  wait "until_week_before" {
    until_field = field.appointment
    offset      = "-7d"
    at          = "09:00"
    next        = send_email.week_before
  }

  send_email "week_before" {
    email = email.week_before
    next  = wait.until_day_before
  }

  wait "until_day_before" {
    until_field = field.appointment
    offset      = "-1d"
    at          = "09:00"
    next        = send_email.day_before
  }

  send_email "day_before" {
    email = email.day_before
  }
}
