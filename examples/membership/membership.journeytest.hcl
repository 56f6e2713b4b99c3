# journey test examples/membership

scenario "a new member with an address gets the kit, the course and two birthday emails" {
  campaign = campaign.member_signup
  trigger  = "annual"
  start    = "2026-03-02T11:00:00Z"
  for      = "420d"
  contact = {
    email          = "rosa@example.com"
    first_name     = "Rosa"
    time_zone      = "Europe/Madrid"
    birthday       = "1988-04-20"
    street_address = "12 Garden Row"
    postcode       = "BS1 5AH"
  }

  expect {
    sent = email.welcome
    at   = "2026-03-02T11:00:00Z"
  }
  expect {
    sent = email.birthday
    at   = "2026-04-20T08:00:00+02:00" # 08:00 in Madrid, the contact's zone
  }
  expect {
    sent = email.birthday
    at   = "2027-04-20T08:00:00+02:00" # an annual step comes round again
  }
  expect {
    sent = email.lesson_compost
  }
  expect {
    has_tag = tag.member
  }
}

scenario "a member without an address waits for the task before the kit" {
  campaign = campaign.member_signup
  trigger  = "monthly"
  start    = "2026-03-02T11:00:00Z"
  for      = "30d"
  contact = {
    email      = "sam@example.com"
    first_name = "Sam"
  }

  expect {
    at_element = add_to_campaign.welcome_kit # held while welcome_kit waits on the task
    at         = "2026-03-20T12:00:00Z"
  }
  expect {
    never_sent = email.lesson_soil
  }
}

# lapsed_win_back starts from the lapsed_members segment: a contact created
# lapsed is in it at once. Paying again takes it out of the segment, which
# answers the decision.
scenario "a lapsed member who pays again after the offer is welcomed back" {
  campaign = campaign.lapsed_win_back
  start    = "2026-03-02T11:00:00Z"
  for      = "60d"
  contact = {
    email      = "lena@example.com"
    first_name = "Lena"
    tags       = ["lapsed"]
  }

  event {
    at = "2026-04-06T18:30:00+01:00"
    on = product_purchased(product.monthly_membership)
  }

  expect {
    sent = email.come_back_offer
    at   = "2026-04-01T10:00:00+01:00" # 30 days on, 10:00 in London (summer time by then)
  }
  expect {
    sent = email.welcome_back
    at   = "2026-04-06T18:30:00+01:00" # the step that took her out of the segment
  }
  expect {
    has_tag = tag.member
  }
  expect {
    status = "ended"
  }
}

scenario "a lapsed member who lets the offer pass joins not_coming_back" {
  campaign = campaign.lapsed_win_back
  start    = "2026-03-02T11:00:00Z"
  for      = "60d"
  contact = {
    email      = "olu@example.com"
    first_name = "Olu"
    tags       = ["lapsed"]
  }

  expect {
    sent = email.come_back_offer
  }
  expect {
    never_sent = email.welcome_back
  }
  expect {
    at_element = decision.rejoined
    at         = "2026-04-22T09:59:00+01:00" # the offer stands 21 days
  }
  expect {
    status = "ended"
  }
}
