scenario "7 days before the appointment, at 9 AM" {
  campaign = campaign.appointment_reminder
  start    = "2030-04-01T12:00:00-06:00"
  for      = "60d"
  contact  = { email = "ray@example.com", appointment = "2030-05-20" }

  expect {
    sent = email.appointment_reminder
    at   = "2030-05-13T09:00:00-06:00"
  }
}

# The appointment moves a week later after the contact entered: the timer
# keeps the date it read on entry.
scenario "the field changes after entry: no reschedule" {
  campaign = campaign.appointment_reminder
  start    = "2030-04-01T12:00:00-06:00"
  for      = "60d"
  contact  = { email = "ray@example.com", appointment = "2030-05-20" }

  event {
    at    = "2030-04-02T12:00:00-06:00"
    on    = field_changed(field.appointment)
    value = "2030-05-27"
  }

  expect {
    sent = email.appointment_reminder
    at   = "2030-05-13T09:00:00-06:00"
  }
}

scenario "in the contact's time zone" {
  campaign = campaign.appointment_reminder_their_time
  start    = "2030-04-01T12:00:00-06:00"
  for      = "60d"
  contact  = { email = "ines@example.com", time_zone = "Europe/Lisbon", appointment = "2030-05-20" }

  expect {
    sent = email.appointment_reminder
    at   = "2030-05-13T09:00:00+01:00"
  }
}

# Next Occurrence: the month and day, every year.
scenario "next occurrence: every year" {
  campaign = campaign.renewal_next_occurrence
  start    = "2030-01-15T12:00:00-07:00"
  for      = "800d"
  contact  = { email = "ray@example.com", membership_renewal = "2028-03-31" }

  expect {
    sent = email.renewal_reminder
    at   = "2030-03-17T08:00:00-06:00"
  }
  expect {
    sent = email.renewal_reminder
    at   = "2031-03-17T08:00:00-06:00"
  }
}

# Use Year from Field: the full date, once.
scenario "year from the field: once, on that date only" {
  campaign = campaign.renewal_year_from_field
  start    = "2030-01-15T12:00:00-07:00"
  for      = "800d"
  contact  = { email = "ray@example.com", membership_renewal = "2031-03-31" }

  expect {
    sent = email.renewal_reminder
    at   = "2031-03-17T08:00:00-06:00"
  }
}

# Use Year from Field with a date already past: nothing.
scenario "year from the field, a date already past: never" {
  campaign = campaign.renewal_year_from_field
  start    = "2030-01-15T12:00:00-07:00"
  for      = "800d"
  contact  = { email = "ray@example.com", membership_renewal = "2028-03-31" }

  expect {
    never_sent = email.renewal_reminder
  }
}

# No date when the contact enters: the timer cannot be scheduled, and a
# date filled in later does not schedule it either.
scenario "no date on entry: nothing, even once the field is filled" {
  campaign = campaign.renewal_year_from_field
  start    = "2030-01-15T12:00:00-07:00"
  for      = "800d"
  contact  = { email = "ray@example.com" }

  event {
    at    = "2030-01-20T12:00:00-07:00"
    on    = field_changed(field.membership_renewal)
    value = "2031-03-31"
  }

  expect {
    never_sent = email.renewal_reminder
  }
}
