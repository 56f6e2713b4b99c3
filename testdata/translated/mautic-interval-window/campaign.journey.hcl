# Source: Mautic 5.x, mautic/mautic,
#   app/bundles/CampaignBundle/Tests/Executioner/Scheduler/Mode/IntervalTest.php,
#   testBatchRescheduling (its data sets are named in the scenarios).
#
# What Mautic asserts: an action restricted to "between hours" runs at its
# scheduled time when that time is inside the window; a time before the
# opening moves to the opening of the same day; a time at or after the
# close moves to the next day's opening (the close itself is outside). The
# hours are read in the contact's time zone; a contact whose zone is not a
# real zone (the test uses "UTC2") is scheduled in Mautic's default zone,
# which the test sets to America/New_York.
#
# Translation: Mautic's default zone is the account's zone, the action's
# delay is a wait with a `between` window read in the contact's zone
# (time_zone = "contact"), and the action is the email after the wait. A
# scenario's start is the instant the test schedules the action at.
#
# Not translated: the data sets with only a start hour or only a stop hour
# (Mautic ignores half a window; journey has no way to write one), and
# "test in between wrong start/end time order" (Mautic swaps a window
# written back to front; journey refuses it: `between` needs its opening
# before its close, docs/language.md "Windows").

account {
  time_zone = "America/New_York"
}

form "signup" {}

email "newsletter" {
  subject = "This week at Mautic"
  body    = "Hello ${contact.first_name}"
}

campaign "morning_window" {
  description = "An email restricted to 08:00-10:00 in the contact's zone."

  trigger "signed_up" {
    on   = form_submitted(form.signup)
    next = wait.send_window
  }

  wait "send_window" {
    between   = ["08:00", "10:00"]
    time_zone = "contact"
    next      = send_email.newsletter
  }

  send_email "newsletter" {
    email = email.newsletter
  }
}

campaign "ten_to_eleven" {
  description = "An email restricted to 10:00-11:00 in the contact's zone."

  trigger "signed_up" {
    on   = form_submitted(form.signup)
    next = wait.send_window
  }

  wait "send_window" {
    between   = ["10:00", "11:00"]
    time_zone = "contact"
    next      = send_email.newsletter
  }

  send_email "newsletter" {
    email = email.newsletter
  }
}
