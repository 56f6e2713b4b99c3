# Tagged on day 1: the day-3 rule step finds the tag and acts; the global
# rule acted when the tag was added.
scenario "tagged before the rule step: it acts on day 3" {
  campaign = campaign.nurture
  start    = "2025-08-04T09:00:00-04:00"
  for      = "10d"
  contact  = { email = "pat@example.com" }

  event {
    at = "2025-08-05T15:00:00-04:00"
    on = tag_added(tag.vip)
  }

  expect {
    sent = email.vip_welcome
    at   = "2025-08-05T15:00:00-04:00"
  }
  expect {
    sent = email.vip_offer
    at   = "2025-08-07T10:00:00-04:00"
  }
}

# Tagged on day 4: too late for the day-3 rule step, which checked once;
# the global rule still fires when the tag is added.
scenario "tagged after the rule step: only the global rule fires" {
  campaign = campaign.nurture
  start    = "2025-08-04T09:00:00-04:00"
  for      = "10d"
  contact  = { email = "pat@example.com" }

  event {
    at = "2025-08-08T15:00:00-04:00"
    on = tag_added(tag.vip)
  }

  expect {
    never_sent = email.vip_offer
  }
  expect {
    sent = email.vip_welcome
    at   = "2025-08-08T15:00:00-04:00"
  }
}

# The answer's date-sequence example: a 10:00 rule on the 14th, the tag
# added at 10:15: the rule does not fire.
scenario "date sequence rule step: a tag added at 10:15 is too late for 10:00" {
  campaign = campaign.vip_sale_day
  start    = "2031-02-01T09:00:00-05:00"
  for      = "30d"
  contact  = { email = "pat@example.com" }

  event {
    at = "2031-02-14T10:15:00-05:00"
    on = tag_added(tag.vip)
  }

  expect {
    never_sent = email.vip_sale
  }
  expect {
    sent = email.vip_welcome
    at   = "2031-02-14T10:15:00-05:00"
  }
}

scenario "date sequence rule step: tagged in time, it acts at 10:00" {
  campaign = campaign.vip_sale_day
  start    = "2031-02-01T09:00:00-05:00"
  for      = "30d"
  contact  = { email = "pat@example.com", tags = ["vip"] }

  expect {
    sent = email.vip_sale
    at   = "2031-02-14T10:00:00-05:00"
  }
}
