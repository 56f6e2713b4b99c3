# Sources: Ontraport support community, "What is 'Unsubscribe contact
#   after last step'?" (official answer),
#   https://support.ontraport.com/hc/en-us/community/posts/219297547-What-is-Unsubscribe-contact-after-last-step-;
#   and Ontraport answers, question 53, the same question,
#   http://answers.ontraport.com/question/53/what-is-unsubscribe-contact-after-last-step-and-why-is-this-used/
#
# What Ontraport documents: with "Unsubscribe contact after last step", a
# contact is taken off the step sequence once its last step has fired,
# so a sequence the contact may go through again (a fulfilment sequence)
# can be repeated. Without it, the contact stays subscribed; a contact
# already subscribed cannot be subscribed again and stays on the step it
# is on, so however many forms add it, it goes through the sequence once
# and never repeats a step (a welcome sequence on every opt-in form).
#
# Translation: the setting is unsubscribe_after_last_step; every opt-in
# form adds the contact to the sequence (the campaign for the first form,
# a rule for the next ones). The last step is a rule step that adds 10
# points, so the contact's points count the times the sequence ran to its
# end; the fulfilment email is transactional, so that a repeat sends it
# again.

account {
  time_zone = "America/New_York"
}

form "ebook_optin" {}

form "newsletter_optin" {}

email "ebook" {
  subject = "Your free ebook"
  body    = "Hi ${contact.first_name}, here it is."
  kind    = "transactional"
}

sequence "ebook_delivery" {
  description                 = "Fulfilment: runs again on every opt-in."
  unsubscribe_after_last_step = true

  step "deliver" {
    schedule {
      days_after = 0
      delay      = "0m"
    }
    email = email.ebook
  }

  step "count" {
    schedule {
      days_after = 2
      at         = "09:00"
    }
    rule {
      then {
        adjust_points {
          points = 10
        }
      }
    }
  }
}

sequence "welcome" {
  description = "Welcome: once per contact, whatever form adds it."

  step "deliver" {
    schedule {
      days_after = 0
      delay      = "0m"
    }
    email = email.ebook
  }

  step "count" {
    schedule {
      days_after = 2
      at         = "09:00"
    }
    rule {
      then {
        adjust_points {
          points = 10
        }
      }
    }
  }
}

campaign "ebook_delivery" {
  trigger "opted_in" {
    on   = form_submitted(form.ebook_optin)
    next = add_to_sequence.ebook_delivery
  }

  add_to_sequence "ebook_delivery" {
    sequence = sequence.ebook_delivery
  }
}

campaign "welcome" {
  trigger "opted_in" {
    on   = form_submitted(form.newsletter_optin)
    next = add_to_sequence.welcome
  }

  add_to_sequence "welcome" {
    sequence = sequence.welcome
  }
}

rule "ebook_optin_again" {
  when = form_submitted(form.ebook_optin)
  then {
    add_to_sequence {
      sequence = sequence.ebook_delivery
    }
  }
}

rule "newsletter_optin_again" {
  when = form_submitted(form.newsletter_optin)
  then {
    add_to_sequence {
      sequence = sequence.welcome
    }
  }
}
