# journey test examples/webinar

scenario "an attendee is reminded in her own morning and never gets the replay" {
  campaign = campaign.webinar
  start    = "2026-07-01T15:00:00-05:00"
  for      = "14d"
  contact = {
    email      = "mei@example.com"
    first_name = "Mei"
    phone      = "+15550131"
    time_zone  = "America/New_York"
  }
  properties = {
    session_id        = "2026-07"
    session_starts_at = "2026-07-09T11:00:00-05:00" # 11:00 in Chicago
    join_url          = "https://webinars.example/j/mei-0709"
  }

  event {
    at         = "2026-07-09T11:05:00-05:00"
    on         = api("webinar_joined")
    properties = { session_id = "2026-07" }
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

scenario "a no-show gets the replay and, after watching it, an offer" {
  campaign = campaign.webinar
  start    = "2026-07-01T15:00:00-05:00"
  for      = "14d"
  contact = {
    email      = "omar@example.com"
    first_name = "Omar"
    phone      = "+15550132"
    time_zone  = "America/Chicago"
  }
  properties = {
    session_id        = "2026-07"
    session_starts_at = "2026-07-09T11:00:00-05:00"
    join_url          = "https://webinars.example/j/omar-0709"
  }

  event {
    at = "2026-07-10T09:00:00-05:00"
    on = page_visited("https://brightline.example/live/replay?utm_source=replay_email")
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

scenario "two registrations are reminded of their own sessions" {
  description = "Registered for July, then for August too: each session gets its day-before reminder, and joining July's session answers July's only."
  campaign    = campaign.webinar
  start       = "2026-07-01T15:00:00-05:00"
  for         = "60d"
  contact = {
    email      = "ines@example.com"
    first_name = "Ines"
    phone      = "+15550133"
    time_zone  = "America/Chicago"
  }
  properties = {
    session_id        = "2026-07"
    session_starts_at = "2026-07-09T11:00:00-05:00"
    join_url          = "https://webinars.example/j/ines-0709"
  }

  event {
    at = "2026-07-03T10:00:00-05:00"
    on = form_submitted(form.webinar_registration)
    properties = {
      session_id        = "2026-08"
      session_starts_at = "2026-08-13T11:00:00-05:00"
      join_url          = "https://webinars.example/j/ines-0813"
    }
  }
  event {
    at         = "2026-07-09T11:02:00-05:00"
    on         = api("webinar_joined")
    properties = { session_id = "2026-07" }
  }

  expect {
    sent = email.reminder_tomorrow
    at   = "2026-07-08T08:00:00-05:00"
  }
  expect {
    sent = email.reminder_tomorrow
    at   = "2026-08-12T08:00:00-05:00"
  }
  expect {
    sent = sms.starting_soon
    at   = "2026-08-13T10:00:00-05:00"
  }
  expect {
    at_element = decision.attended
    at         = "2026-08-13T11:30:00-05:00"
  }
  expect {
    sent = email.replay
    at   = "2026-08-13T12:15:00-05:00" # August's session was missed
  }
}
