# The trial funnel: signup -> welcome -> (tips | check-in -> nudge) ->
# trial-ending offer -> customer, or a hand-off to sales.
campaign "trial_onboarding" {
  description = "From trial signup to a paid plan: welcome, tips, a nudge, the trial-ending offer."
  reentry     = "once"

  trigger "signup" {
    on   = form_submitted(form.trial_signup)
    next = update_contact.start_trial
  }

  update_contact "start_trial" {
    set  = { plan = "trial", trial_ends = date_add(today(), "14d") }
    next = change_tags.mark_trial
  }

  change_tags "mark_trial" {
    add  = [tag.trial]
    next = send_email.welcome
  }

  send_email "welcome" {
    email = email.welcome
    next  = notify_email.new_trial
  }

  notify_email "new_trial" {
    to      = user.dana
    subject = "New trial: ${contact.first_name} ${contact.last_name} (${contact.company})"
    body    = "${contact.first_name} just started a trial with ${contact.email}. Their trial ends on ${contact.trial_ends}."
    next    = fork.tips_and_check_in
  }

  # add_to_sequence holds the contact until the sequence lets it go, so the
  # check-in runs on its own path beside the tips.
  fork "tips_and_check_in" {
    paths = [add_to_sequence.tips, wait.day_two]
  }

  add_to_sequence "tips" {
    sequence = sequence.trial_tips
    next     = end.tips_done
  }

  end "tips_done" {
    description = "The tips are over; the check-in path carries on."
  }

  # The next weekday morning, 09:00 in the account's time zone.
  wait "day_two" {
    for     = "1d"
    at      = "09:00"
    on_days = weekdays
    next    = condition.activated
  }

  condition "activated" {
    description = "Has the contact sent an invoice yet?"
    if          = has_tag(tag.activated)
    then        = wait.before_trial_ends
    else        = send_sms.setup_nudge
  }

  send_sms "setup_nudge" {
    sms  = sms.setup_nudge
    next = wait.before_trial_ends
  }

  # Two days before the trial ends, 10:00 in the contact's own time zone.
  wait "before_trial_ends" {
    until_field = field.trial_ends
    offset      = "-2d"
    at          = "10:00"
    time_zone   = "contact"
    next        = send_email.trial_ending
  }

  send_email "trial_ending" {
    email = email.trial_ending
    next  = decision.chose_starter
  }

  # The email offers both plans until the trial is over, at the end of its
  # last day in the contact's own time zone; Pro buyers are taken by
  # goal.bought_pro.
  decision "chose_starter" {
    on          = product_purchased(product.starter)
    until_field = field.trial_ends
    at          = "23:59"
    time_zone   = "contact"
    yes         = update_contact.plan_starter
    no          = notify_email.trial_lost
  }

  update_contact "plan_starter" {
    set  = { plan = "starter" }
    next = change_tags.mark_customer
  }

  # Whenever a trial user buys Pro, wherever they are in the campaign, they
  # jump here.
  goal "bought_pro" {
    on   = product_purchased(product.pro)
    next = update_contact.plan_pro
  }

  update_contact "plan_pro" {
    set  = { plan = "pro" }
    next = change_tags.mark_customer
  }

  change_tags "mark_customer" {
    add    = [tag.customer]
    remove = [tag.trial]
    next   = send_email.thanks
  }

  send_email "thanks" {
    email = email.thanks
    next  = end.converted
  }

  end "converted" {
    exit = true
  }

  notify_email "trial_lost" {
    to      = user.dana
    subject = "Trial ended without a plan: ${contact.first_name} ${contact.last_name}"
    body    = "${contact.first_name} (${contact.email}) did not pick a plan. Worth a personal call this week?"
    next    = end.not_converted
  }

  end "not_converted" {
    exit = true
  }
}
