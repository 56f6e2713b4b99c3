# Sources: Keap (Infusionsoft) help,
#   https://help.keap.com/help/delay-timers ("Delay Timers"), and the
#   classic Campaign Builder page of the same article,
#   https://classic-infusionsoft.knowledgeowl.com/help/delay-timers
#   ("Campaign Sequence - Delay Timers").
#
# What Keap documents: a delay timer waits at least the time set, then
# runs on the days and at the time of day set ("Run on"). A delay of 1 day
# does not wait a full 24 hours: it runs on the next calendar date. With
# minutes or hours, the next item runs the same day when the "Run on" time
# has not passed yet that day, and otherwise on the next acceptable day and
# time. "Week Day(s)" leaves out Saturday and Sunday. The timer can run in
# the contact's time zone instead of the account's.
#
# Translation: a delay timer is a wait: "wait at least" is `for`, a time of
# day `at`, a range of hours `between`, the days `on_days`, the contact's
# zone time_zone = "contact". The item after the timer is the email.

account {
  time_zone = "America/Phoenix"
}

form "signup" {}

email "follow_up" {
  subject = "Following up"
  body    = "Hi ${contact.first_name}"
  kind    = "transactional"
}

campaign "one_day_at_nine" {
  trigger "signed_up" {
    on   = form_submitted(form.signup)
    next = wait.delay
  }

  wait "delay" {
    for  = "1d"
    at   = "09:00"
    next = send_email.follow_up
  }

  send_email "follow_up" {
    email = email.follow_up
  }
}

campaign "two_hours_at_five" {
  trigger "signed_up" {
    on   = form_submitted(form.signup)
    next = wait.delay
  }

  wait "delay" {
    for  = "2h"
    at   = "17:00"
    next = send_email.follow_up
  }

  send_email "follow_up" {
    email = email.follow_up
  }
}

campaign "one_weekday_at_nine" {
  trigger "signed_up" {
    on   = form_submitted(form.signup)
    next = wait.delay
  }

  wait "delay" {
    for     = "1d"
    at      = "09:00"
    on_days = weekdays
    next    = send_email.follow_up
  }

  send_email "follow_up" {
    email = email.follow_up
  }
}

campaign "one_hour_business_hours" {
  trigger "signed_up" {
    on   = form_submitted(form.signup)
    next = wait.delay
  }

  wait "delay" {
    for     = "1h"
    between = ["09:00", "17:00"]
    next    = send_email.follow_up
  }

  send_email "follow_up" {
    email = email.follow_up
  }
}

campaign "one_day_at_nine_their_time" {
  trigger "signed_up" {
    on   = form_submitted(form.signup)
    next = wait.delay
  }

  wait "delay" {
    for       = "1d"
    at        = "09:00"
    time_zone = "contact"
    next      = send_email.follow_up
  }

  send_email "follow_up" {
    email = email.follow_up
  }
}
