# Source: Mautic 5.x, mautic/mautic,
#   app/bundles/LeadBundle/Tests/Segment/Decorator/Date/Other/DateAnniversaryTest.php,
#   testGetParameterValue and testGetParameterValueWithRelativeDate; with
#   the Mautic user documentation, mautic/user-documentation,
#   docs/campaigns/campaign_builder.rst, "Using a custom date field to
#   trigger a Campaign" (the "Anniversary" option takes a day and a month).
#
# What Mautic asserts: the segment filter "anniversary" on a date field
# matches the contacts whose field has today's month and day, whatever the
# year (the filter is a LIKE on "-MM-DD"). "birthday +2days", evaluated on
# 2018-03-02, matches "-03-04": the contacts whose birthday is two days
# ahead. A campaign built on such a segment greets each contact on the day.
#
# Translation: the greeting is a date sequence with an annual step on the
# birthday field; "+2days" is an annual step two days before the birthday
# (offset = "-2d"). Mautic adds members when its segment cron runs, so it
# has no time of day; the steps fire at the account's default_send_time.
# The greeting is transactional so that it can go every year.
#
# KNOWN DIFFERENCE (29 February): Mautic's filter compares the month and
# day as text, so a birthday on 29 February matches only in leap years; in
# a common year the contact is never greeted. journey's annual dates turn
# 29 February into 28 February in common years (RUNTIME.md, Timing
# semantics; docs/language.md, Timers), which RUNTIME.md does not list as a
# deliberate difference from Mautic. The scenario asserts journey's 28
# February.

account {
  time_zone         = "UTC"
  default_send_time = "08:00"
}

form "signup" {}

field "birthday" {
  type = date
}

email "birthday_greeting" {
  subject = "Happy birthday!"
  body    = "Happy birthday, ${contact.first_name}"
  kind    = "transactional"
}

email "birthday_coming" {
  subject = "Your birthday is in two days"
  body    = "A little something ahead of your birthday, ${contact.first_name}"
  kind    = "transactional"
}

sequence "birthday" {
  kind = "date"

  step "on_the_day" {
    schedule {
      on_field = field.birthday
      annual   = true
    }
    email = email.birthday_greeting
  }
}

sequence "birthday_ahead" {
  kind = "date"

  step "two_days_before" {
    schedule {
      on_field = field.birthday
      offset   = "-2d"
      annual   = true
    }
    email = email.birthday_coming
  }
}

campaign "birthdays" {
  trigger "signed_up" {
    on   = form_submitted(form.signup)
    next = add_to_sequence.birthday
  }

  add_to_sequence "birthday" {
    sequence = sequence.birthday
  }
}

campaign "birthdays_ahead" {
  trigger "signed_up" {
    on   = form_submitted(form.signup)
    next = add_to_sequence.birthday_ahead
  }

  add_to_sequence "birthday_ahead" {
    sequence = sequence.birthday_ahead
  }
}
