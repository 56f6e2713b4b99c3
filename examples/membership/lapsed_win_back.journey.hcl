# The segment starts the campaign, and leaving it (the member paid again,
# rules.journey.hcl) is the decision's yes path.
campaign "lapsed_win_back" {
  description = "Lapsed members: a month on, an offer to come back; a welcome when they do."
  reentry     = "always"

  trigger "lapsed" {
    on   = segment_entered(segment.lapsed_members)
    next = wait.a_month
  }

  wait "a_month" {
    for  = "30d"
    at   = "10:00"
    next = condition.still_lapsed
  }

  # Some come back on their own within the month: no offer for them.
  condition "still_lapsed" {
    if   = in_segment(segment.lapsed_members)
    then = send_email.come_back_offer
    else = end.came_back_on_their_own
  }

  end "came_back_on_their_own" {}

  send_email "come_back_offer" {
    email = email.come_back_offer
    next  = decision.rejoined
  }

  decision "rejoined" {
    on     = segment_left(segment.lapsed_members)
    within = "21d"
    yes    = send_email.welcome_back
    no     = modify_segments.not_coming_back
  }

  send_email "welcome_back" {
    email = email.welcome_back
    next  = end.back_again
  }

  end "back_again" {}

  modify_segments "not_coming_back" {
    add  = [segment.not_coming_back]
    next = end.offer_passed
  }

  end "offer_passed" {}
}
