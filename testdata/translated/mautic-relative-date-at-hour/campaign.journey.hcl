# Source: Mautic 5.x, mautic/mautic,
#   app/bundles/CampaignBundle/Tests/Executioner/Scheduler/EventSchedulerTest.php,
#   testEventDoesNotGetRescheduledForRelativeTimeWhenValidated and
#   testEventIsRescheduledForRelativeTimeIfAppropriate.
#
# What Mautic asserts: an action with the relative date "1 day" at a given
# hour, for a New York contact who reached it on 2018-08-30 in the
# afternoon (17:00 New York time in the first test; 17:00 without a zone
# in the second, which the scenario reads as UTC, 13:00 in New York), runs
# on 2018-09-01, at 09:00 and at 11:00 New York time: Mautic adds the full
# day first (to the afternoon of 2018-08-31), finds the hour passed on that
# day, and takes the hour of the day after.
#
# DELIBERATE DIFFERENCE (../shared/spec/RUNTIME.md, "Deliberate
# differences from Mautic 5.x"; docs/language.md, Timers): in journey
# "1d" at 09:00 is the next calendar day at 09:00, as in Keap and
# Ontraport, not the first 09:00 a full day later. The scenarios expect
# journey's documented 2018-08-31 where Mautic says 2018-09-01.

account {
  time_zone = "America/New_York"
}

form "signup" {}

email "follow_up" {
  subject = "Following up"
  body    = "Hello ${contact.first_name}"
}

campaign "next_day_at_nine" {
  trigger "signed_up" {
    on   = form_submitted(form.signup)
    next = wait.one_day
  }

  wait "one_day" {
    for       = "1d"
    at        = "09:00"
    time_zone = "contact"
    next      = send_email.follow_up
  }

  send_email "follow_up" {
    email = email.follow_up
  }
}

campaign "next_day_at_eleven" {
  trigger "signed_up" {
    on   = form_submitted(form.signup)
    next = wait.one_day
  }

  wait "one_day" {
    for       = "1d"
    at        = "11:00"
    time_zone = "contact"
    next      = send_email.follow_up
  }

  send_email "follow_up" {
    email = email.follow_up
  }
}
