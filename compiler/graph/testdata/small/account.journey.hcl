account {
  time_zone = "Europe/Berlin"
  senders   = ["team@example.com"]
}

tag "customer" {}
form "signup" {}
product "pro" {}

email "welcome" {
  subject = "Welcome"
  from    = "team@example.com"
  body    = "Hi ${contact.first_name}"
  kind    = "transactional"
}

email "offer_a" {
  subject = "Offer A"
  from    = "team@example.com"
  body    = "A"
  kind    = "transactional"
}

email "offer_b" {
  subject = "Offer B"
  from    = "team@example.com"
  body    = "B"
  kind    = "transactional"
}

email "tip" {
  subject = "A tip"
  from    = "team@example.com"
  body    = "Did you know..."
  kind    = "marketing"
}

sequence "tips" {
  kind                        = "step"
  unsubscribe_after_last_step = true

  step "first" {
    email = email.tip
  }

  step "points" {
    schedule {
      days_after = 2
      at         = "07:00"
      on_days    = weekdays
    }
    rule {
      if = contact.points >= 10
      then {
        adjust_points {
          points = 5
        }
      }
    }
  }
}
