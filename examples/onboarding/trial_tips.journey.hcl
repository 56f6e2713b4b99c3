# A legacy step sequence: one tip every other weekday morning. The campaign
# subscribes trial users to it and gets them back after the last step.

sequence "trial_tips" {
  kind                        = "step"
  unsubscribe_after_last_step = true
  description                 = "Three product tips during the first week of the trial."

  step "branding" {
    schedule {
      days_after = 1
      at         = "08:30"
    }
    email = email.tip_branding
  }

  step "reminders" {
    schedule {
      days_after = 2
      at         = "08:30"
      on_days    = weekdays
    }
    email = email.tip_reminders
  }

  # Two days after the previous step, at the account's default_send_time
  # (10:00). A subject-line test: half the trials get each version, and a
  # contact always gets the same one.
  step "reports" {
    schedule {
      days_after = 2
    }
    split {
      path {
        weight = 50
        email  = email.tip_reports
      }
      path {
        weight = 50
        email  = email.tip_reports_overdue
      }
    }
  }
}
