# Source: Keap (Infusionsoft) help, "Sequence Timers Overview",
#   https://help.keap.com/help/sequence-timers-review
#
# What Keap documents: when the timers of a sequence are configured but
# some of its email or process items are not finished (not marked ready),
# the sequence skips the unfinished items and goes on to the next ready
# one. Items with no timer between them run at once, one after the other.
#
# Translation: an unfinished item is an element with draft = true, which
# journey skips: the contact goes straight to its next (docs/language.md,
# Common element attributes). The draft is meant, so the draft-element
# warning is silenced on it, and so is the consecutive-waits warning on the
# wait before it.
#
# The same series is also translated as a journey step sequence, where
# each step's schedule is the timer before it: the case study is a draft
# step. A draft step keeps its place in the schedule (docs/language.md,
# Sequences), as Keap's timers around an unfinished item still run: the
# check-in still comes three days after the case study's day.
#
# Not translated: the same page says that when a timer is not configured,
# contacts skip the items after it. In journey an unconfigured timer is an
# error (docs/rules.md, unconfigured-timer), so that sequence cannot be
# written.

account {
  time_zone = "America/Los_Angeles"
}

form "signup" {}

tag "welcomed" {}

email "welcome" {
  subject = "Welcome"
  body    = "Hi ${contact.first_name}"
  kind    = "transactional"
}

email "case_study" {
  subject = "How Acme doubled its leads"
  body    = "Still being written."
  kind    = "transactional"
}

email "check_in" {
  subject = "How is it going?"
  body    = "Hi ${contact.first_name}"
  kind    = "transactional"
}

campaign "welcome_series" {
  trigger "signed_up" {
    on   = form_submitted(form.signup)
    next = send_email.welcome
  }

  send_email "welcome" {
    email = email.welcome
    next  = change_tags.welcomed
  }

  change_tags "welcomed" {
    add  = [tag.welcomed]
    next = wait.two_days
  }

  # With the case study skipped, this wait and the next follow each
  # other, as the timers around an unfinished item do in Keap.
  wait "two_days" {
    for    = "2d"
    at     = "10:00"
    ignore = ["consecutive-waits"]
    next   = send_email.case_study
  }

  send_email "case_study" {
    email  = email.case_study
    draft  = true
    ignore = ["draft-element"]
    next   = wait.three_days
  }

  wait "three_days" {
    for  = "3d"
    at   = "10:00"
    next = send_email.check_in
  }

  send_email "check_in" {
    email = email.check_in
  }
}

sequence "welcome_series" {
  step "welcome" {
    email = email.welcome
  }

  step "case_study" {
    draft  = true
    ignore = ["draft-element"]
    schedule {
      days_after = 2
      at         = "10:00"
    }
    email = email.case_study
  }

  step "check_in" {
    schedule {
      days_after = 3
      at         = "10:00"
    }
    email = email.check_in
  }
}

campaign "welcome_series_sequence" {
  trigger "signed_up" {
    on   = form_submitted(form.signup)
    next = add_to_sequence.welcome_series
  }

  add_to_sequence "welcome_series" {
    sequence = sequence.welcome_series
  }
}
