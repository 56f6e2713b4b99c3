campaign "onboarding" {
  trigger "signup" {
    on   = form_submitted(form.trial_signup)
    next = change_tags.mark_lead
  }

  change_tags "mark_lead" {
    add  = [tag.lead]
    next = send_email.welcome
  }

  send_email "welcome" {
    email = email.welcome
    next  = wait.one_day
  }

  wait "one_day" {
    for  = "1d"
    at   = "09:00"
    next = send_email.tip
  }

  send_email "tip" {
    email = email.tip
    next  = condition.bought
  }

  condition "bought" {
    if   = has_tag(tag.customer)
    then = end.done
    else = decision.upgrade
  }

  decision "upgrade" {
    on    = product_purchased(product.pro)
    until = "2026-12-24"
    at    = "18:00"
    yes   = send_email.thanks
    no    = end.done
  }

  send_email "thanks" {
    email = email.thanks
    next  = end.done
  }

  end "done" {
    exit = true
  }
}
