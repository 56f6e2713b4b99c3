campaign "signup" {
  trigger "form" {
    on   = form_submitted(form.signup)
    next = send_email.welcome
  }

  send_email "welcome" {
    email = email.welcome
    next  = fork.both
  }

  fork "both" {
    paths = [add_to_sequence.tips, wait.one_day]
  }

  add_to_sequence "tips" {
    sequence = sequence.tips
  }

  wait "one_day" {
    for  = "1d"
    at   = "09:00"
    next = condition.customer
  }

  condition "customer" {
    if   = has_tag(tag.customer)
    then = end.done
    else = split.offer
  }

  split "offer" {
    path {
      weight = 50
      next   = send_email.offer_a
    }
    path {
      weight = 50
      next   = send_email.offer_b
    }
  }

  send_email "offer_a" {
    email = email.offer_a
    next  = decision.bought
  }

  send_email "offer_b" {
    email  = email.offer_b
    draft  = true
    next   = decision.bought
    ignore = ["draft-element"]
  }

  decision "bought" {
    on     = product_purchased(product.pro)
    within = "3d"
    yes    = add_to_campaign.thanks
    no     = end.done
  }

  add_to_campaign "thanks" {
    campaign = campaign.thank_you
    next     = end.done
  }

  goal "bought_anyway" {
    on   = product_purchased(product.pro)
    next = end.done
  }

  end "done" {
    exit = true
  }
}

campaign "thank_you" {
  reentry = "always"

  trigger "added" {
    on   = added_to_campaign()
    next = change_tags.mark
  }

  change_tags "mark" {
    add  = [tag.customer]
    next = end.thanked
  }

  end "thanked" {}
}
