# Sources: Ontraport University, "Goals",
#   https://ontraport.com/university/Ontraport-for-marketing/Automations/Goals;
#   and Ontraport support, "Goals",
#   https://ontraport.com/support/Marketing-automation/goals
#
# What Ontraport documents: a goal watches for an action of the contact;
# when the contact takes it, the contact moves to the goal and down the
# path after it, skipping what it was waiting for. The University's
# example: ten follow-up emails a couple of days apart urging a purchase;
# a contact who buys after the fourth should not get the other six, but
# start the welcome and onboarding path at once.
#
# Translation: the follow-ups are a chain of emails and two-day waits; the
# goal is a journey `goal` on the purchase. A goal cancels every other
# position the contact has in the campaign (docs/runtime.md, goal).

account {
  time_zone = "America/Chicago"
}

form "webinar_signup" {}

product "membership" {}

email "follow_up_1" {
  subject = "Follow-up 1 of 10"
  body    = "Hi ${contact.first_name}"
}

email "follow_up_2" {
  subject = "Follow-up 2 of 10"
  body    = "Hi ${contact.first_name}"
}

email "follow_up_3" {
  subject = "Follow-up 3 of 10"
  body    = "Hi ${contact.first_name}"
}

email "follow_up_4" {
  subject = "Follow-up 4 of 10"
  body    = "Hi ${contact.first_name}"
}

email "follow_up_5" {
  subject = "Follow-up 5 of 10"
  body    = "Hi ${contact.first_name}"
}

email "follow_up_6" {
  subject = "Follow-up 6 of 10"
  body    = "Hi ${contact.first_name}"
}

email "follow_up_7" {
  subject = "Follow-up 7 of 10"
  body    = "Hi ${contact.first_name}"
}

email "follow_up_8" {
  subject = "Follow-up 8 of 10"
  body    = "Hi ${contact.first_name}"
}

email "follow_up_9" {
  subject = "Follow-up 9 of 10"
  body    = "Hi ${contact.first_name}"
}

email "follow_up_10" {
  subject = "Follow-up 10 of 10"
  body    = "Hi ${contact.first_name}"
}

email "welcome_member" {
  subject = "Welcome, member"
  body    = "Hi ${contact.first_name}, here is how to get started."
}

campaign "membership_sales" {
  trigger "signed_up" {
    on   = form_submitted(form.webinar_signup)
    next = send_email.follow_up_1
  }

  send_email "follow_up_1" {
    email = email.follow_up_1
    next  = wait.after_follow_up_1
  }

  wait "after_follow_up_1" {
    for  = "2d"
    next = send_email.follow_up_2
  }

  send_email "follow_up_2" {
    email = email.follow_up_2
    next  = wait.after_follow_up_2
  }

  wait "after_follow_up_2" {
    for  = "2d"
    next = send_email.follow_up_3
  }

  send_email "follow_up_3" {
    email = email.follow_up_3
    next  = wait.after_follow_up_3
  }

  wait "after_follow_up_3" {
    for  = "2d"
    next = send_email.follow_up_4
  }

  send_email "follow_up_4" {
    email = email.follow_up_4
    next  = wait.after_follow_up_4
  }

  wait "after_follow_up_4" {
    for  = "2d"
    next = send_email.follow_up_5
  }

  send_email "follow_up_5" {
    email = email.follow_up_5
    next  = wait.after_follow_up_5
  }

  wait "after_follow_up_5" {
    for  = "2d"
    next = send_email.follow_up_6
  }

  send_email "follow_up_6" {
    email = email.follow_up_6
    next  = wait.after_follow_up_6
  }

  wait "after_follow_up_6" {
    for  = "2d"
    next = send_email.follow_up_7
  }

  send_email "follow_up_7" {
    email = email.follow_up_7
    next  = wait.after_follow_up_7
  }

  wait "after_follow_up_7" {
    for  = "2d"
    next = send_email.follow_up_8
  }

  send_email "follow_up_8" {
    email = email.follow_up_8
    next  = wait.after_follow_up_8
  }

  wait "after_follow_up_8" {
    for  = "2d"
    next = send_email.follow_up_9
  }

  send_email "follow_up_9" {
    email = email.follow_up_9
    next  = wait.after_follow_up_9
  }

  wait "after_follow_up_9" {
    for  = "2d"
    next = send_email.follow_up_10
  }

  send_email "follow_up_10" {
    email = email.follow_up_10
  }

  goal "purchased" {
    on   = product_purchased(product.membership)
    next = send_email.welcome_member
  }

  send_email "welcome_member" {
    email = email.welcome_member
  }
}
