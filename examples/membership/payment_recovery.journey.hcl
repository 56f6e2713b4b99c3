campaign "payment_recovery" {
  description = "A declined renewal: pause the course, retry the card, suspend access, try to win the member back."
  reentry     = "always"

  trigger "payment_failed" {
    on   = api("invoice.payment_failed")
    next = change_tags.past_due
  }

  change_tags "past_due" {
    add  = [tag.past_due]
    next = pause_sequence.course
  }

  pause_sequence "course" {
    sequence = sequence.getting_started
    next     = send_email.card_declined
  }

  send_email "card_declined" {
    email = email.card_declined
    next  = wait.retry_card
  }

  wait "retry_card" {
    for     = "3d"
    at      = "10:00"
    on_days = weekdays
    next    = recharge_transactions.retry
  }

  recharge_transactions "retry" {
    next = wait.charge_settles
  }

  wait "charge_settles" {
    for  = "2h"
    next = condition.still_past_due
  }

  condition "still_past_due" {
    if   = has_tag(tag.past_due)
    then = membership_access.suspend
    else = unpause_sequence.resume_course
  }

  membership_access "suspend" {
    site   = "riverbend-members"
    status = "suspended"
    next   = send_sms.access_paused
  }

  send_sms "access_paused" {
    sms  = sms.access_paused
    next = add_to_campaign.win_back
  }

  # Waits until win_back ends for the contact, then checks the outcome.
  add_to_campaign "win_back" {
    campaign = campaign.win_back
    next     = condition.won_back
  }

  condition "won_back" {
    if   = has_tag(tag.past_due)
    then = cancel_open_orders.close
    else = unpause_sequence.resume_course
  }

  cancel_open_orders "close" {
    next = membership_access.revoke
  }

  membership_access "revoke" {
    site   = "riverbend-members"
    status = "disabled"
    next   = remove_from_sequence.member_dates
  }

  remove_from_sequence "member_dates" {
    sequence = sequence.member_dates
    next     = change_tags.mark_lapsed
  }

  change_tags "mark_lapsed" {
    add    = [tag.lapsed]
    remove = [tag.member, tag.past_due]
    next   = update_contact.level_lapsed
  }

  update_contact "level_lapsed" {
    set  = { membership_level = "lapsed" }
    next = end.lapsed
  }

  end "lapsed" {
    exit = true
  }

  # Paid at any point (the billing.journey.json rule clears past_due): back
  # to normal.
  goal "paid" {
    on   = tag_removed(tag.past_due)
    next = unpause_sequence.resume_course
  }

  unpause_sequence "resume_course" {
    sequence = sequence.getting_started
    next     = membership_access.restore
  }

  membership_access "restore" {
    site   = "riverbend-members"
    status = "enabled"
    next   = end.recovered
  }

  end "recovered" {
    exit = true
  }
}
