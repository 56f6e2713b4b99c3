# journey test examples/webinar

scenario "an attendee is reminded in her own morning and never gets the replay" {
  campaign = campaign.webinar
  start    = "2026-07-01T15:00:00-05:00"
  for      = "14d"
  contact = {
    email        = "mei@example.com"
    first_name   = "Mei"
    phone        = "+15550131"
    time_zone    = "America/New_York"
    webinar_date = "2026-07-09T11:00:00" # Chicago time, the account's zone
  }

  event {
    at = "2026-07-09T11:05:00-05:00"
    on = tag_added(tag.attended)
  }

  expect {
    sent = email.confirmation
    at   = "2026-07-01T15:00:00-05:00"
  }
  expect {
    sent = email.reminder_tomorrow
    at   = "2026-07-08T08:00:00-04:00" # 08:00 in New York
  }
  expect {
    sent = sms.starting_soon
    at   = "2026-07-09T10:00:00-05:00" # an hour before the session
  }
  expect {
    never_sent = email.replay
  }
  expect {
    has_tag = tag.attended
  }
  expect {
    status = "exited"
  }
}

scenario "a no-show gets the replay and, after clicking it, an offer" {
  campaign = campaign.webinar
  start    = "2026-07-01T15:00:00-05:00"
  for      = "14d"
  contact = {
    email        = "omar@example.com"
    first_name   = "Omar"
    phone        = "+15550132"
    time_zone    = "America/Chicago"
    webinar_date = "2026-07-09T11:00:00"
  }

  event {
    at = "2026-07-10T09:00:00-05:00"
    on = link_clicked(email.replay)
  }

  expect {
    at_element = decision.attended
    at         = "2026-07-09T11:30:00-05:00"
  }
  expect {
    sent   = email.replay
    within = "9d"
  }
  expect {
    sent = email.replay
    at   = "2026-07-09T12:15:00-05:00" # 30 minutes after the session ended
  }
  expect {
    has_tag = tag.watched_replay
  }
  expect {
    never_sent = email.replay_last_chance
  }
}
