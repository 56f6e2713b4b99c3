# The crash test's campaign (internal/loadgen/crash_test.go): at once a
# transactional email and a webhook (both at least once), then a short
# wait, then one of two marketing emails (at most once) by the contact's
# tag, and the end that goes with it. The file is a Go template
# (text/template): the webhook's URL is the test's receiver.
account {
  time_zone = "UTC"
  edition   = "enterprise" # its webhooks may call the test receiver's port
  senders   = ["hello@crash.example"]
}

form "signup" {}
tag "vip" {}

webhook "crm" {
  url = "{{.WebhookURL}}/crm"
}

email "welcome" {
  subject = "Welcome, ${contact.first_name}"
  body    = "Your account is ready."
  kind    = "transactional"
}

email "tip" {
  subject = "A tip for you, ${contact.first_name}"
  body    = "Marketing: sent at most once."
}

email "offer" {
  subject = "An offer for you, ${contact.first_name}"
  body    = "Marketing: sent at most once."
}

campaign "crash" {
  reentry = "once"

  trigger "signup" {
    on   = form_submitted(form.signup)
    next = send_email.welcome
  }
  send_email "welcome" {
    email = email.welcome
    next  = webhook.crm
  }
  webhook "crm" {
    webhook = webhook.crm
    next    = wait.short
  }
  wait "short" {
    for  = "1m"
    next = condition.is_vip
  }
  condition "is_vip" {
    if   = has_tag(tag.vip)
    then = send_email.tip
    else = send_email.offer
  }
  send_email "tip" {
    email = email.tip
    next  = end.vip
  }
  send_email "offer" {
    email = email.offer
    next  = end.plain
  }
  end "vip" {}
  end "plain" {}
}
