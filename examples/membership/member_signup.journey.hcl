campaign "member_signup" {
  description = "New members: access, welcome, the welcome kit, the starter course, a check-in."

  trigger "monthly" {
    on   = product_purchased(product.monthly_membership)
    next = membership_access.grant
  }

  trigger "annual" {
    on   = product_purchased(product.annual_membership)
    next = membership_access.grant
  }

  membership_access "grant" {
    site   = "riverbend-members"
    status = "enabled"
    next   = change_tags.mark_member
  }

  change_tags "mark_member" {
    add    = [tag.member]
    remove = [tag.lapsed]
    next   = webhook.forum_invite
  }

  webhook "forum_invite" {
    webhook = webhook.forum_invite
    next    = send_email.welcome
  }

  send_email "welcome" {
    email = email.welcome
    next  = assign_owner.member_care
  }

  assign_owner "member_care" {
    lead_router = lead_router.member_care
    next        = notify_email.introduce_carer
  }

  # Whoever the router picked hears about their new member.
  notify_email "introduce_carer" {
    to      = owner
    subject = "New member for you: ${contact.first_name} ${contact.last_name}"
    body    = "Hi ${owner.name}, ${contact.first_name} just joined Riverbend and you're their member care contact. Say hello this week: ${contact.email}"
    next    = fork.dates_and_onboarding
  }

  # member_dates never lets contacts go (its steps are yearly), so it gets a
  # path of its own; the other path waits for the welcome kit and the course.
  fork "dates_and_onboarding" {
    paths = [add_to_sequence.member_dates, add_to_campaign.welcome_kit]
  }

  add_to_sequence "member_dates" {
    sequence = sequence.member_dates
  }

  # Waits until welcome_kit reaches an end for this contact.
  add_to_campaign "welcome_kit" {
    campaign = campaign.welcome_kit
    next     = add_to_sequence.starter_course
  }

  # Waits until the last lesson has gone out.
  add_to_sequence "starter_course" {
    sequence = sequence.getting_started
    next     = wait.settle_in
  }

  wait "settle_in" {
    for  = "2d"
    at   = "10:00"
    next = condition.engaged
  }

  condition "engaged" {
    if   = contact.points >= 30
    then = end.onboarded
    else = assign_task.check_in_call
  }

  assign_task "check_in_call" {
    task = task.check_in_call
    next = end.onboarded
  }

  end "onboarded" {}
}
