# The thread's example: booked on 28 March for 30 March. The week-before
# reminder is skipped; the day-before one goes on 29 March.
scenario "date sequence: booked two days ahead" {
  campaign = campaign.reminders_by_sequence
  start    = "2030-03-28T11:00:00-05:00"
  for      = "10d"
  contact  = { email = "lou@example.com", appointment = "2030-03-30" }

  expect {
    never_sent = email.week_before
  }
  expect {
    sent = email.day_before
    at   = "2030-03-29T09:00:00-05:00"
  }
}

scenario "date sequence: booked well ahead, both reminders" {
  campaign = campaign.reminders_by_sequence
  start    = "2030-03-01T11:00:00-06:00"
  for      = "40d"
  contact  = { email = "lou@example.com", appointment = "2030-03-30" }

  expect {
    sent = email.week_before
    at   = "2030-03-23T09:00:00-05:00"
  }
  expect {
    sent = email.day_before
    at   = "2030-03-29T09:00:00-05:00"
  }
}

# Keap: the appointment moves from 30 March to 6 April a few days after
# the contact subscribed; both reminders keep the value read on entry, 23
# and 29 March. KNOWN DIFFERENCE: journey schedules each date step when the
# step before it fires, reading the field then: the week-before reminder,
# scheduled on subscription, goes on 23 March, but the day-before one,
# scheduled on 23 March, reads 6 April and goes on 5 April.
scenario "date sequence: the date moves after subscribing" {
  campaign = campaign.reminders_by_sequence
  start    = "2030-03-01T11:00:00-06:00"
  for      = "40d"
  contact  = { email = "lou@example.com", appointment = "2030-03-30" }

  event {
    at    = "2030-03-05T10:00:00-06:00"
    on    = field_changed(field.appointment)
    value = "2030-04-06"
  }

  expect {
    sent = email.week_before
    at   = "2030-03-23T09:00:00-05:00"
  }
  expect {
    sent = email.day_before
    at   = "2030-04-05T09:00:00-05:00"
  }
}

# Keap skips the week-before reminder. KNOWN DIFFERENCE: journey's wait
# for a date already past fires at once, and the reminder goes on
# booking.
scenario "waits: booked two days ahead" {
  campaign = campaign.reminders_by_waits
  start    = "2030-03-28T11:00:00-05:00"
  for      = "10d"
  contact  = { email = "lou@example.com", appointment = "2030-03-30" }

  expect {
    sent = email.week_before
    at   = "2030-03-28T11:00:00-05:00"
  }
  expect {
    sent = email.day_before
    at   = "2030-03-29T09:00:00-05:00"
  }
}
