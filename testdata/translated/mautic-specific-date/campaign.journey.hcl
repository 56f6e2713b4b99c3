# Source: Mautic 5.x, mautic/mautic,
#   app/bundles/CampaignBundle/Executioner/Scheduler/Mode/DateTime.php,
#   getExecutionDateTime (the scheduler of an action set to run on a
#   specific date; no test pins it, so the code is the source).
#
# What Mautic does: an action set to a specific date runs on that date; a
# contact that reaches it when the date is already past ("overdue") runs it
# at once.
#
# Translation: the specific date is a wait with `until`. journey also fires
# a past `until` at once (RUNTIME.md, Timing semantics). Compare the Keap
# date timer (keap-date-timer), which skips a past date instead.

account {
  time_zone = "America/Chicago"
}

form "signup" {}

email "black_friday" {
  subject = "Black Friday starts now"
  body    = "Hello ${contact.first_name}"
  kind    = "transactional"
}

campaign "black_friday" {
  trigger "signed_up" {
    on   = form_submitted(form.signup)
    next = wait.until_black_friday
  }

  wait "until_black_friday" {
    until = "2030-11-29T06:00"
    next  = send_email.black_friday
  }

  send_email "black_friday" {
    email = email.black_friday
  }
}
