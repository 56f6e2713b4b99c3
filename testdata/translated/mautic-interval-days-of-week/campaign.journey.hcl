# Source: Mautic 5.x, mautic/mautic,
#   app/bundles/CampaignBundle/Tests/Executioner/Scheduler/Mode/IntervalTest.php,
#   testBatchRescheduling, data sets "test on allowed day", "test on
#   restricted days" and "test combination of rules"; and
#   app/bundles/CampaignBundle/Tests/Executioner/Scheduler/EventSchedulerTest.php,
#   testEventDoesNotGetRescheduledForRelativeTimeWithDowWhenValidated.
#
# What Mautic asserts: an action restricted to some days of the week runs
# at its scheduled time on an allowed day, and otherwise on the next
# allowed day at the same time of day. With a window as well, the time is
# first moved into the window (after the close: the next day's opening),
# then forward to an allowed day. A contact who reaches the action inside
# the window on an allowed day goes at once.
#
# Translation: the restriction is a wait with `on_days` (and `between`);
# the action is the email after it. Mautic numbers days from 0, Sunday.
#
# Not translated: "test on all restricted days", where an empty list of
# days means no restriction in Mautic; in journey an empty on_days allows
# no day at all and is an error (docs/rules.md, empty-window).

account {
  time_zone = "UTC"
}

form "signup" {}

email "digest" {
  subject = "Your digest"
  body    = "Hello ${contact.first_name}"
}

campaign "sundays_only" {
  trigger "signed_up" {
    on   = form_submitted(form.signup)
    next = wait.sunday
  }

  wait "sunday" {
    on_days = ["sun"]
    next    = send_email.digest
  }

  send_email "digest" {
    email = email.digest
  }
}

campaign "wednesdays_and_fridays" {
  trigger "signed_up" {
    on   = form_submitted(form.signup)
    next = wait.midweek
  }

  wait "midweek" {
    on_days = ["wed", "fri"]
    next    = send_email.digest
  }

  send_email "digest" {
    email = email.digest
  }
}

campaign "friday_saturday_mornings" {
  trigger "signed_up" {
    on   = form_submitted(form.signup)
    next = wait.morning
  }

  wait "morning" {
    between = ["08:00", "10:00"]
    on_days = ["fri", "sat"]
    next    = send_email.digest
  }

  send_email "digest" {
    email = email.digest
  }
}

campaign "friday_daytime_new_york" {
  trigger "signed_up" {
    on   = form_submitted(form.signup)
    next = wait.daytime
  }

  wait "daytime" {
    between   = ["10:00", "20:00"]
    on_days   = ["fri"]
    time_zone = "contact"
    next      = send_email.digest
  }

  send_email "digest" {
    email = email.digest
  }
}
