# A contact may register for this month's session and next month's: each
# registration carries its session, and is reminded on its own.
form "webinar_registration" {
  description = "brightline.example/live: the registration form of the monthly demo."

  property "session_id" {
    type        = string
    description = "The session registered for, such as \"2026-07\"."
  }
  property "session_starts_at" {
    type        = datetime
    description = "When that session starts, with its offset."
  }
  property "join_url" {
    type        = string
    description = "The contact's personal join link from the webinar platform."
  }
}

event "webinar_joined" {
  description = "Sent by the webinar platform's integration when the contact joins a session."

  property "session_id" {
    type = string
  }
}

tag "webinar_registrant" {}

tag "attended" {
  description = "The contact joined a session."
}

tag "watched_replay" {}

webhook "webinar_platform" {
  url    = "https://api.webinars.example/v2/registrants"
  method = "POST"
  headers = {
    "X-Brightline-Source" = "journey"
  }
  body = "{\"email\": \"${contact.email}\", \"first_name\": \"${contact.first_name}\", \"session\": \"${event.session_id}\"}"
}

email "confirmation" {
  subject = "You're registered: Forecasting with Brightline, live"
  from    = "events@brightline.example"
  body    = template("emails/confirmation.html")
  kind    = "transactional"
}

email "reminder_tomorrow" {
  subject = "Tomorrow: Forecasting with Brightline, live"
  from    = "events@brightline.example"
  body    = <<-EOT
    Hi ${contact.first_name},

    A reminder that our live demo is tomorrow. Bring your toughest
    forecasting question: Priya answers them live.

    Your personal link: ${event.join_url}

    See you there,
    The Brightline events team
  EOT
  kind    = "transactional"
}

email "replay" {
  subject = "Sorry we missed you, ${contact.first_name}: here's the replay"
  from    = "events@brightline.example"
  body    = "Hi ${contact.first_name}, the recording of today's demo is ready: https://brightline.example/live/replay. It's 42 minutes; the Q&A starts at 31:10."
}

email "replay_last_chance" {
  subject = "The replay comes down on Friday"
  from    = "events@brightline.example"
  body    = "Hi ${contact.first_name}, the demo recording is available until Friday: https://brightline.example/live/replay"
}

# The A/B test: two follow-ups after the demo (or the replay).

email "offer_trial" {
  subject = "Try what you saw: 30 days of Brightline, free"
  from    = "priya@brightline.example"
  body    = "Thanks for watching, ${contact.first_name}! Start a 30-day trial with your own data: https://brightline.example/trial?src=webinar"
}

email "offer_consultation" {
  subject = "${contact.first_name}, want a forecast built on your data?"
  from    = "priya@brightline.example"
  body    = "Thanks for watching, ${contact.first_name}! Book 30 minutes with me and I'll build a first forecast from one of your spreadsheets: https://brightline.example/book/priya"
}

sms "starting_soon" {
  body = "Brightline live demo starts in 1 hour, ${contact.first_name}. Join: ${event.join_url}"
}
