# Source: Ontraport support, "Scheduling Emails or Postcards for Birthdays
#   and Holidays",
#   https://support.ontraport.com/hc/en-us/articles/217882478-Scheduling-Emails-or-Postcards-for-Birthdays-and-Holidays
#
# What Ontraport documents: a birthday campaign sends a postcard ten days
# before the birthday to contacts in the United States (a Condition
# element picks them), an email the day before, and an SMS at noon on the
# birthday, timed by three Wait elements on the birthday field. Contacts
# can be added to the campaign whether or not their birthday field is
# filled: the campaign ignores the contacts without a birthday, and they
# go on automatically once the field has a date.
#
# Translation: each Wait element is a wait with until_field on the
# birthday, an offset and annual = true (the next birthday); the Condition
# is a condition on the built-in country field. A wait without `at`
# fires at the account's default_send_time; the page does not give those
# times. Ontraport mails a postcard to the contact record's address: here
# the account's postal_address names those fields.
#
# KNOWN DIFFERENCE (an empty birthday): in journey a wait on an empty date
# field does not hold the contact (RUNTIME.md, Timing semantics: "an empty
# field does not hold the contact"), so a contact added without a
# birthday gets the email and the SMS at once, where Ontraport waits until
# the field is filled. RUNTIME.md does not list this as a deliberate
# difference.

account {
  time_zone      = "America/Denver"
  sms_numbers    = ["+13035550100"]
  postal_address = [field.street, field.city, field.state, field.zip, field.country]
}

form "signup" {}

field "birthday" {
  type = date
}

field "street" {
  type = string
}

field "city" {
  type = string
}

field "state" {
  type = string
}

field "zip" {
  type = string
}

postcard "birthday" {
  front = "Happy birthday!"
  back  = "Dear ${contact.first_name}, a little early: happy birthday from all of us."
}

email "birthday_eve" {
  subject = "Tomorrow is your day"
  body    = "Hi ${contact.first_name}"
  kind    = "transactional"
}

sms "birthday" {
  body = "Happy birthday, ${contact.first_name}!"
}

campaign "birthday_greetings" {
  trigger "signed_up" {
    on   = form_submitted(form.signup)
    next = condition.in_the_us
  }

  condition "in_the_us" {
    if   = contact.country == "US"
    then = wait.ten_days_before
    else = wait.day_before
  }

  wait "ten_days_before" {
    until_field = field.birthday
    offset      = "-10d"
    annual      = true
    next        = send_postcard.birthday_card
  }

  send_postcard "birthday_card" {
    postcard = postcard.birthday
    next     = wait.day_before
  }

  wait "day_before" {
    until_field = field.birthday
    offset      = "-1d"
    annual      = true
    next        = send_email.birthday_eve
  }

  send_email "birthday_eve" {
    email = email.birthday_eve
    next  = wait.noon_on_the_day
  }

  wait "noon_on_the_day" {
    until_field = field.birthday
    annual      = true
    at          = "12:00"
    next        = send_sms.birthday_text
  }

  send_sms "birthday_text" {
    sms = sms.birthday
  }
}
