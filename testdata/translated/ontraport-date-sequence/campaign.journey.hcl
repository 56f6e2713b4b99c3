# Sources: Ontraport answers, "I have contacts added to a birthday Date
#   Sequence, but the steps are not firing. Why not?",
#   http://answers.ontraport.com/question/110/i-have-contacts-added-to-a-birthday-date-sequence-but-the-steps-are-not-firing-why-not/;
#   and Ontraport support, "Sequences FAQ",
#   https://support.ontraport.com/hc/en-us/articles/217882488-Sequences-FAQ
#
# What Ontraport documents: a date sequence step fires on a date, either a
# literal date ("February 14, 2019") or a date field of the contact. A
# birthday step that is not set to "Run this step every year" looks at the
# full date, year included, so a birthday in a past year never fires; with
# the box checked, only the month and day count and the step fires every
# year. A step whose time is left blank fires at 10 AM in the account's
# time zone.
#
# Translation: a journey date sequence; "Run this step every year" is
# annual = true, a literal date `date`, the blank time the account's
# default_send_time (10:00). The greeting is transactional so that it can
# go every year.

account {
  time_zone = "America/New_York"
}

form "signup" {}

field "birthday" {
  type = date
}

email "birthday" {
  subject = "Happy birthday!"
  body    = "Hi ${contact.first_name}"
  kind    = "transactional"
}

email "valentines" {
  subject = "Our Valentine's Day offer"
  body    = "Hi ${contact.first_name}"
}

sequence "birthday_every_year" {
  kind = "date"

  step "birthday" {
    schedule {
      on_field = field.birthday
      annual   = true
    }
    email = email.birthday
  }
}

sequence "birthday_not_every_year" {
  kind = "date"

  step "birthday" {
    schedule {
      on_field = field.birthday
    }
    email = email.birthday
  }
}

sequence "valentines" {
  kind = "date"

  step "valentines" {
    schedule {
      date = "2031-02-14"
    }
    email = email.valentines
  }
}

campaign "birthday_every_year" {
  trigger "signed_up" {
    on   = form_submitted(form.signup)
    next = add_to_sequence.birthdays
  }

  add_to_sequence "birthdays" {
    sequence = sequence.birthday_every_year
  }
}

campaign "birthday_not_every_year" {
  trigger "signed_up" {
    on   = form_submitted(form.signup)
    next = add_to_sequence.birthdays
  }

  add_to_sequence "birthdays" {
    sequence = sequence.birthday_not_every_year
  }
}

campaign "valentines" {
  trigger "signed_up" {
    on   = form_submitted(form.signup)
    next = add_to_sequence.valentines
  }

  add_to_sequence "valentines" {
    sequence = sequence.valentines
  }
}
