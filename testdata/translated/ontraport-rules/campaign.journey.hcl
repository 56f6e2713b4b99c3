# Sources: Ontraport support community, "What's the difference between
#   Step Rules and global Rules?" (official answer),
#   https://support.ontraport.com/hc/en-us/community/posts/216290968/comments/219509228;
#   and Ontraport support, "Rules Overview",
#   https://support.ontraport.com/hc/en-us/articles/217882448-Rules-Overview
#
# What Ontraport documents: a rule is "when this happens, and this is
# true, then do this". A rule step of a step sequence acts only when the
# contact reaches that step: a rule on day 3 that looks for a tag checks
# on day 3 only, and does nothing if the tag is added a day later. A rule
# step of a date sequence likewise checks only at its date and time (a tag
# added at 10:15 is too late for a 10:00 rule). A global rule acts whenever
# its trigger happens: a rule on a tag fires when the tag is added, at any
# time.
#
# Translation: a rule step is a sequence step with `rule { if, then }`;
# a global rule is a journey `rule` with `when`.

account {
  time_zone = "America/New_York"
}

form "signup" {}

tag "vip" {}

email "welcome" {
  subject = "Welcome"
  body    = "Hi ${contact.first_name}"
}

email "vip_offer" {
  subject = "An offer for our VIPs"
  body    = "Hi ${contact.first_name}"
}

email "vip_welcome" {
  subject = "Welcome to the VIP list"
  body    = "Hi ${contact.first_name}"
}

email "vip_sale" {
  subject = "VIP sale today"
  body    = "Hi ${contact.first_name}"
}

sequence "nurture" {
  step "welcome" {
    schedule {
      days_after = 0
      delay      = "0m"
    }
    email = email.welcome
  }

  step "vip_check" {
    schedule {
      days_after = 3
      at         = "10:00"
    }
    rule {
      if = has_tag(tag.vip)
      then {
        send_email {
          email = email.vip_offer
        }
      }
    }
  }
}

sequence "vip_sale_day" {
  kind = "date"

  step "vip_sale" {
    schedule {
      date = "2031-02-14"
      at   = "10:00"
    }
    rule {
      if = has_tag(tag.vip)
      then {
        send_email {
          email = email.vip_sale
        }
      }
    }
  }
}

rule "vip_welcome" {
  when = tag_added(tag.vip)
  then {
    send_email {
      email = email.vip_welcome
    }
  }
}

campaign "nurture" {
  trigger "signed_up" {
    on   = form_submitted(form.signup)
    next = add_to_sequence.nurture
  }

  add_to_sequence "nurture" {
    sequence = sequence.nurture
  }
}

campaign "vip_sale_day" {
  trigger "signed_up" {
    on   = form_submitted(form.signup)
    next = add_to_sequence.vip_sale_day
  }

  add_to_sequence "vip_sale_day" {
    sequence = sequence.vip_sale_day
  }
}
