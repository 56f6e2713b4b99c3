# Source: Keap (Infusionsoft) help, "Manually start or stop a campaign
#   sequence", https://help.infusionsoft.com/help/userguides/campaigns-and-broadcasts/campaign-sequence-guide/manually-start-or-stop-a-campaign-sequence
#
# What Keap documents: starting a sequence puts the contact at its very
# beginning, even if it received some or all of its messages before. If the
# contact is already in the sequence, starting it again does not reset it:
# the contact goes on receiving the messages in order. To restart it, stop
# the sequence first (which removes the contact from it), then start it.
#
# Translation: the sequence is a legacy step sequence; starting it is
# add_to_sequence, stopping it remove_from_sequence, both run by rules on
# tags the team adds (journey's "already on it: the adding element goes on
# at once", docs/runtime.md). The emails are transactional, so that a
# restart can send them again as Keap does.

account {
  time_zone = "America/New_York"
}

form "signup" {}

tag "start_tips" {}

tag "stop_tips" {}

email "tip_1" {
  subject = "Tip 1"
  body    = "Hi ${contact.first_name}"
  kind    = "transactional"
}

email "tip_2" {
  subject = "Tip 2"
  body    = "Hi ${contact.first_name}"
  kind    = "transactional"
}

sequence "tips" {
  unsubscribe_after_last_step = true

  step "tip_1" {
    schedule {
      days_after = 0
      delay      = "0m"
    }
    email = email.tip_1
  }

  step "tip_2" {
    schedule {
      days_after = 3
      at         = "09:00"
    }
    email = email.tip_2
  }
}

campaign "tips" {
  trigger "signed_up" {
    on   = form_submitted(form.signup)
    next = add_to_sequence.tips
  }

  add_to_sequence "tips" {
    sequence = sequence.tips
  }
}

rule "start_tips" {
  when = tag_added(tag.start_tips)
  then {
    add_to_sequence {
      sequence = sequence.tips
    }
  }
}

rule "stop_tips" {
  when = tag_added(tag.stop_tips)
  then {
    remove_from_sequence {
      sequence = sequence.tips
    }
  }
}
