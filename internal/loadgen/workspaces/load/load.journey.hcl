# The load benchmark's campaigns (internal/loadgen, bench/server.sh), one
# per measurement. The file is a Go template (text/template) like the
# crash test's, though it needs nothing filled in.
account {
  time_zone = "UTC"
  senders   = ["hello@load.example"]
}

form "signup" {}
tag "upgraded" {}
tag "timer" {}
tag "fired" {}
tag "mail" {}
tag "news" {}
tag "hold" {}

field "due" {
  type        = datetime
  description = "When the contact's wait in campaign timers falls due."
}

email "note" {
  subject = "A note for ${contact.first_name}"
  body    = "Sent by the load benchmark."
  kind    = "transactional"
}

email "newsletter" {
  subject = "News for ${contact.first_name}"
  body    = "Marketing, sent by the load benchmark: at most once."
}

# Events: a signup enrolls the contact, which waits; an upgrade advances
# it to its end.
campaign "events" {
  reentry = "once"

  trigger "signup" {
    on   = form_submitted(form.signup)
    next = wait.later
  }
  wait "later" {
    for  = "30d"
    next = end.lapsed
  }
  goal "upgraded" {
    on   = tag_added(tag.upgraded)
    next = end.advanced
  }
  end "lapsed" {}
  end "advanced" {}
}

# Timer lateness: each contact waits until its own due time.
campaign "timers" {
  reentry = "once"

  trigger "timer" {
    on   = tag_added(tag.timer)
    next = wait.until_due
  }
  wait "until_due" {
    until_field = field.due
    next        = change_tags.mark_fired
  }
  change_tags "mark_fired" {
    add  = [tag.fired]
    next = end.done
  }
  end "done" {}
}

# Deliveries: one transactional email each.
campaign "mail" {
  reentry = "once"

  trigger "mail" {
    on   = tag_added(tag.mail)
    next = send_email.note
  }
  send_email "note" {
    email = email.note
    next  = end.sent
  }
  end "sent" {}
}

# Deliveries -marketing: one marketing email each.
campaign "news" {
  reentry = "once"

  trigger "news" {
    on   = tag_added(tag.news)
    next = send_email.newsletter
  }
  send_email "newsletter" {
    email = email.newsletter
    next  = end.sent
  }
  end "sent" {}
}

# Memory: contacts enrolled, waiting a month.
campaign "hold" {
  reentry = "once"

  trigger "hold" {
    on   = tag_added(tag.hold)
    next = wait.month
  }
  wait "month" {
    for  = "30d"
    next = end.done
  }
  end "done" {}
}
