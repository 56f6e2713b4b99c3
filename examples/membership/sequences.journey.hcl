# The starter course: a legacy step sequence. It lets contacts go after
# the last step, so a campaign may wait for it to finish.
sequence "getting_started" {
  kind                        = "step"
  unsubscribe_after_last_step = true

  # No schedule: the day of subscription, at the default send time (09:30).
  step "soil" {
    email = email.lesson_soil
  }

  step "seeds" {
    schedule {
      days_after = 3
      at         = "07:30"
      on_days    = ["sat", "sun"]
    }
    email = email.lesson_seeds
  }

  step "first_progress" {
    schedule {
      days_after = 4
    }
    rule {
      if = contact.points >= 20
      then {
        change_tags {
          add = [tag.green_thumb]
        }
        adjust_points {
          points = 10
        }
      }
    }
  }

  step "compost" {
    schedule {
      days_after = 1
      delay      = "30m"
    }
    email = email.lesson_compost
  }
}

# Yearly dates: a date sequence with annual steps. Contacts stay on it for
# as long as they are members, so it never lets them go: campaigns add to it
# on a fork path of its own.
sequence "member_dates" {
  kind = "date"

  step "birthday" {
    schedule {
      on_field  = field.birthday
      annual    = true
      at        = "08:00"
      time_zone = "contact"
    }
    email = email.birthday
  }

  step "anniversary" {
    schedule {
      on_field = field.member_since
      offset   = "-5d"
      annual   = true
    }
    postcard = postcard.anniversary
  }

  step "renewal_notice" {
    schedule {
      on_field = field.renewal_date
      offset   = "-14d"
    }
    email = email.renewal_notice
  }
}
