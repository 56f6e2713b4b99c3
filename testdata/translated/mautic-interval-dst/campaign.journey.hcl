# Source: Mautic 5.x, mautic/mautic,
#   app/bundles/CampaignBundle/Tests/Executioner/Scheduler/Mode/IntervalTest.php,
#   testExecutionDateIsValidatedAsExpectedWithStartHourAndDaylightSavingsTimeChange.
#
# What Mautic asserts: an action with the relative date "15 days" and the
# window 08:00-20:00, for a New York contact who reached it on 2021-10-24
# at 17:00 UTC (13:00 New York daylight time), runs on 2021-11-08 at 17:00
# UTC. New York fell back to standard time on 2021-11-07, so that is 12:00
# New York time: Mautic adds the 15 days in UTC (its server's zone) and
# only then reads the window in the contact's zone; the wall-clock time
# moves by the hour the clocks went back.
#
# KNOWN DIFFERENCE: journey counts "15d" as calendar days in the timer's
# zone, keeping the wall-clock time across the change (RUNTIME.md, Timing
# semantics; docs/language.md, Durations): 13:00 New York time on
# 2021-11-08, which is 18:00 UTC, an hour after Mautic. RUNTIME.md's list
# of deliberate differences from Mautic 5.x does not name this one. The
# scenario asserts what journey does today.

account {
  time_zone = "UTC"
}

form "signup" {}

email "check_in" {
  subject = "Two weeks in"
  body    = "Hello ${contact.first_name}"
}

campaign "fifteen_days" {
  trigger "signed_up" {
    on   = form_submitted(form.signup)
    next = wait.fifteen_days
  }

  wait "fifteen_days" {
    for       = "15d"
    between   = ["08:00", "20:00"]
    time_zone = "contact"
    next      = send_email.check_in
  }

  send_email "check_in" {
    email = email.check_in
  }
}
