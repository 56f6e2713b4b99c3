campaign "webinar" {
  description = "Register, get reminded, attend (or watch the replay), get an offer: once per session."
  # The demo runs every month. Each registration is an entry of its own,
  # keyed by its session: a contact registered for July and August gets
  # both sessions' reminders, and registers for each session once.
  reentry = "once"

  trigger "registered" {
    on   = form_submitted(form.webinar_registration)
    key  = event.session_id
    next = change_tags.registrant
  }

  change_tags "registrant" {
    add  = [tag.webinar_registrant]
    next = webhook.register_on_platform
  }

  webhook "register_on_platform" {
    webhook = webhook.webinar_platform
    next    = send_email.confirmation
  }

  send_email "confirmation" {
    email = email.confirmation
    next  = wait.day_before
  }

  # The reminders, timed from the session the registration is for. The
  # day-before reminder goes at 08:00 in the contact's own time zone...
  wait "day_before" {
    until_event = event.session_starts_at
    offset      = "-1d"
    at          = "08:00"
    time_zone   = "contact"
    next        = send_email.reminder_tomorrow
  }

  send_email "reminder_tomorrow" {
    email = email.reminder_tomorrow
    next  = wait.hour_before
  }

  # ...the text an hour before the session, which starts at a fixed instant.
  wait "hour_before" {
    until_event = event.session_starts_at
    offset      = "-1h"
    next        = send_sms.starting_soon
  }

  send_sms "starting_soon" {
    sms  = sms.starting_soon
    next = decision.attended
  }

  # The session runs 45 minutes: whoever has not joined it when it ends is
  # a no-show. Joining another session answers that session's entry.
  decision "attended" {
    on          = api("webinar_joined")
    key         = event.session_id
    until_event = event.session_starts_at
    offset      = "45m"
    yes         = change_tags.mark_attendee
    no          = wait.replay_window
  }

  change_tags "mark_attendee" {
    add  = [tag.attended]
    next = wait.follow_up_window
  }

  # The replay path, for registrants who did not show up.
  wait "replay_window" {
    for       = "30m"
    between   = ["08:00", "20:00"]
    time_zone = "contact"
    next      = send_email.replay
  }

  send_email "replay" {
    email = email.replay
    next  = decision.watched_replay
  }

  # Opening the replay page counts, however the contact got there: the
  # email's link, the site, a colleague's forward.
  decision "watched_replay" {
    on     = page_visited("https://brightline.example/live/replay*")
    within = "2d"
    yes    = change_tags.mark_replay_viewer
    no     = send_email.replay_last_chance
  }

  change_tags "mark_replay_viewer" {
    add  = [tag.watched_replay]
    next = wait.follow_up_window
  }

  send_email "replay_last_chance" {
    email = email.replay_last_chance
    next  = end.no_show
  }

  end "no_show" {
    exit = true
  }

  # Attendees and replay viewers get one of two offers, the next working
  # morning in their own time zone.
  wait "follow_up_window" {
    for       = "12h"
    between   = ["09:00", "11:30"]
    on_days   = weekdays
    time_zone = "contact"
    next      = split.offer_test
  }

  split "offer_test" {
    description = "Q3 test: self-serve trial vs. a consultation with Priya."

    path {
      weight = 50
      next   = send_email.offer_trial
    }

    path {
      weight = 50
      next   = send_email.offer_consultation
    }
  }

  send_email "offer_trial" {
    email = email.offer_trial
    next  = end.offered
  }

  send_email "offer_consultation" {
    email = email.offer_consultation
    next  = notify_email.consultation_offered
  }

  notify_email "consultation_offered" {
    to      = user.priya
    subject = "Consultation offer sent to ${contact.first_name} ${contact.last_name}"
    body    = "${contact.first_name} (${contact.job_title}, ${contact.email}) got the consultation offer. Watch your calendar."
    next    = end.offered
  }

  end "offered" {
    exit = true
  }
}
