# Sources: Ontraport support (legacy sequences),
#   https://support.ontraport.com/hc/en-us/articles/217882458-Sequences-Overview
#   ("Sequences Overview"),
#   https://support.ontraport.com/hc/en-us/articles/217882488-Sequences-FAQ
#   ("Sequences FAQ") and
#   https://support.ontraport.com/hc/en-us/articles/217882468-Adding-Steps-to-a-Sequence
#   ("Adding Steps to a Sequence").
#
# What Ontraport documents: a step sequence starts on day 0, when the
# contact is subscribed; every contact starts at the first step and moves
# through the steps in order. Steps are scheduled in days after the step
# before ("number of days after last step"): with the first step on day 0,
# a second step five days later and a third five days after that, the
# third goes out on day 10. Each step fires at the time set on it; a step
# whose time is left blank fires at 10 AM in the account's time zone.
# (An older copy of the overview calls day 0 "immediately"; the FAQ and
# the current copy give the 10 AM rule, which these cases follow.)
#
# Translation: the sequence is a journey step sequence; "days after last
# step" is days_after, the step's time `at`, and the blank time the
# account's default_send_time, 10:00 unless set (docs/language.md,
# Sequences).

account {
  time_zone = "America/Los_Angeles"
}

form "optin" {}

email "day_0" {
  subject = "Welcome aboard"
  body    = "Hi ${contact.first_name}"
}

email "day_5" {
  subject = "Five days in"
  body    = "Hi ${contact.first_name}"
}

email "day_10" {
  subject = "Ten days in"
  body    = "Hi ${contact.first_name}"
}

sequence "welcome_blank_times" {
  step "day_0" {
    email = email.day_0
  }

  step "day_5" {
    schedule {
      days_after = 5
    }
    email = email.day_5
  }

  step "day_10" {
    schedule {
      days_after = 5
    }
    email = email.day_10
  }
}

sequence "welcome_set_times" {
  step "day_0" {
    schedule {
      days_after = 0
      at         = "18:30"
    }
    email = email.day_0
  }

  step "day_5" {
    schedule {
      days_after = 5
      at         = "07:15"
    }
    email = email.day_5
  }

  step "day_10" {
    schedule {
      days_after = 5
      at         = "07:15"
    }
    email = email.day_10
  }
}

campaign "welcome_blank_times" {
  trigger "opted_in" {
    on   = form_submitted(form.optin)
    next = add_to_sequence.welcome
  }

  add_to_sequence "welcome" {
    sequence = sequence.welcome_blank_times
  }
}

campaign "welcome_set_times" {
  trigger "opted_in" {
    on   = form_submitted(form.optin)
    next = add_to_sequence.welcome
  }

  add_to_sequence "welcome" {
    sequence = sequence.welcome_set_times
  }
}
