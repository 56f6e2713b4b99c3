campaign "win_back" {
  description = "A suspended member: one email, then a personal call from member care."
  reentry     = "always"

  trigger "added" {
    on   = added_to_campaign()
    next = send_email.we_miss_you
  }

  send_email "we_miss_you" {
    email = email.we_miss_you
    next  = decision.updated_card
  }

  decision "updated_card" {
    on     = form_submitted(form.update_card)
    within = "5d"
    yes    = end.card_updated
    no     = add_to_lead_router.member_care
  }

  end "card_updated" {}

  add_to_lead_router "member_care" {
    lead_router = lead_router.member_care
    next        = create_opportunity.save_member
  }

  create_opportunity "save_member" {
    stage = "at_risk"
    owner = lead_router.member_care
    next  = notify_sms.alert_maria
  }

  notify_sms "alert_maria" {
    to   = user.maria
    body = "Save call needed: ${contact.first_name} ${contact.last_name}, ${contact.phone}"
    next = assign_task.save_call
  }

  # The contact, and payment_recovery behind it, waits for the call.
  assign_task "save_call" {
    task                = task.save_call
    assignee            = user.maria
    wait_for_completion = true
    next                = end.called
  }

  end "called" {}
}
