# Source: Mautic user documentation, mautic/user-documentation,
#   docs/campaigns/campaign_builder.rst, the "Send Email" campaign action.
#
# What Mautic documents: a transactional email can be sent to a contact
# many times; a marketing email only once, across every source. A contact
# who already received the marketing email (from another campaign or from
# this one) is not sent it again, and goes on through the campaign.
#
# Translation: two campaigns send the same marketing email and the same
# transactional email; the contact is in the first, and a tag later puts
# it in the second. journey's email `kind` is Mautic's (docs/language.md,
# email; docs/runtime.md, Actions).
#
# What the scenario cannot say: "the marketing email did not go a second
# time". An expect block has no count, and never_sent covers the whole run.
# The scenario checks what can be checked: the marketing email went once
# at the start, the transactional one went again, and the contact went on
# past the second send of the marketing email. `journey simulate` shows the
# second send skipped ("marketing email already sent to this contact").

account {
  time_zone = "UTC"
}

form "signup" {}

tag "trial_expired" {}

tag "reached_the_end" {}

email "product_tour" {
  subject = "A tour of the product"
  body    = "Hello ${contact.first_name}"
  kind    = "marketing"
}

email "account_summary" {
  subject = "Your account"
  body    = "Your account, ${contact.first_name}"
  kind    = "transactional"
}

campaign "onboarding" {
  trigger "signed_up" {
    on   = form_submitted(form.signup)
    next = send_email.tour
  }

  send_email "tour" {
    email = email.product_tour
    next  = wait.a_day
  }

  wait "a_day" {
    for  = "1d"
    next = send_email.summary
  }

  send_email "summary" {
    email = email.account_summary
  }
}

campaign "win_back" {
  trigger "expired" {
    on   = tag_added(tag.trial_expired)
    next = send_email.tour_again
  }

  send_email "tour_again" {
    email = email.product_tour
    next  = wait.a_day
  }

  wait "a_day" {
    for  = "1d"
    next = send_email.summary_again
  }

  send_email "summary_again" {
    email = email.account_summary
    next  = change_tags.reached_the_end
  }

  change_tags "reached_the_end" {
    add = [tag.reached_the_end]
  }
}
