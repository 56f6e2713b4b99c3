# Source: Keap (Infusionsoft) help,
#   https://classic-infusionsoft.knowledgeowl.com/help/delay-timers
#   ("Campaign Sequence - Delay Timers"), with
#   https://help.keap.com/help/delay-timers ("Delay Timers").
#
# What Keap documents: "a delay timer of 1 day will not wait a full 24
# hours, it will occur on the next calendar date", at the time of day the
# timer is set to run; a delay in hours is a number of hours. The pages do
# not mention daylight saving time; these cases apply the rule to the
# nights the clocks change, where "the next calendar date at 9 AM" and "24
# hours later" are different instants: a calendar day keeps 9 AM, 24 hours
# move the wall-clock time by the hour gained or lost.
#
# Translation: "1 day, run at 9 AM" is for = "1d" with at = "09:00";
# "24 hours" is for = "24h" (docs/language.md, Durations: days are
# calendar days, hours elapsed time).

account {
  time_zone = "America/New_York"
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

campaign "twenty_four_hours" {
  trigger "signed_up" {
    on   = form_submitted(form.signup)
    next = wait.delay
  }

  wait "delay" {
    for  = "24h"
    next = send_email.follow_up
  }

  send_email "follow_up" {
    email = email.follow_up
  }
}
