# Sources: Keap (Infusionsoft) help, "Make Sure Contacts Always Complete A
#   Sequence", https://help.infusionsoft.com/help/make-sure-contacts-always-complete-a-sequence;
#   Monkeypod Marketing (a Keap certified partner), "Campaign Builder:
#   Gotcha #1" and "Gotcha #2", https://www.monkeypodmarketing.com/cb-gotcha-1/
#   and https://www.monkeypodmarketing.com/blog/cb-gotcha-2
#
# What they document: by default, when a contact achieves a goal, the
# sequences before the goal stop at once (the contact gets none of their
# remaining messages) and the sequence after the goal starts. A goal stops
# every sequence upstream of it, not only the one directly connected. A
# sequence set to "Runs until completed" is the exception: the contact
# gets all of its messages even after the goal (the example: a "10 tips"
# series the contact was promised).
#
# Translation: a default Keap sequence is a run of campaign elements (the
# nurture emails and the waits between them): a journey goal cancels every
# other position the contact has in the campaign (docs/runtime.md, goal).
# A "Runs until completed" sequence is a legacy step sequence the campaign
# subscribes the contact to: its subscription is not a position in the
# campaign, so the goal does not stop it.

account {
  time_zone = "America/New_York"
}

form "lead_magnet" {}

product "course" {}

email "nurture_1" {
  subject = "Why our course?"
  body    = "Hi ${contact.first_name}"
}

email "nurture_2" {
  subject = "What students say"
  body    = "Hi ${contact.first_name}"
}

email "nurture_3" {
  subject = "Last chance for the launch price"
  body    = "Hi ${contact.first_name}"
}

email "tip_1" {
  subject = "Tip 1 of 3"
  body    = "Hi ${contact.first_name}"
}

email "tip_2" {
  subject = "Tip 2 of 3"
  body    = "Hi ${contact.first_name}"
}

email "tip_3" {
  subject = "Tip 3 of 3"
  body    = "Hi ${contact.first_name}"
}

email "welcome_student" {
  subject = "Welcome to the course"
  body    = "Hi ${contact.first_name}"
}

sequence "three_tips" {
  description                 = "Runs until completed: promised on the lead magnet's page."
  unsubscribe_after_last_step = true

  step "tip_1" {
    schedule {
      days_after = 1
      at         = "08:00"
    }
    email = email.tip_1
  }

  step "tip_2" {
    schedule {
      days_after = 2
      at         = "08:00"
    }
    email = email.tip_2
  }

  step "tip_3" {
    schedule {
      days_after = 2
      at         = "08:00"
    }
    email = email.tip_3
  }
}

campaign "course_launch" {
  trigger "downloaded" {
    on   = form_submitted(form.lead_magnet)
    next = fork.nurture_and_tips
  }

  fork "nurture_and_tips" {
    paths = [send_email.nurture_1, add_to_sequence.three_tips]
  }

  add_to_sequence "three_tips" {
    sequence = sequence.three_tips
  }

  send_email "nurture_1" {
    email = email.nurture_1
    next  = wait.two_days
  }

  wait "two_days" {
    for  = "2d"
    at   = "10:00"
    next = send_email.nurture_2
  }

  send_email "nurture_2" {
    email = email.nurture_2
    next  = wait.two_more_days
  }

  wait "two_more_days" {
    for  = "2d"
    at   = "10:00"
    next = send_email.nurture_3
  }

  send_email "nurture_3" {
    email = email.nurture_3
  }

  goal "purchased" {
    on   = product_purchased(product.course)
    next = send_email.welcome_student
  }

  send_email "welcome_student" {
    email = email.welcome_student
  }
}
