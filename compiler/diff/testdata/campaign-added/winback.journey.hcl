tag "churned" {}

email "miss_you" {
  subject = "We miss you, ${contact.first_name}"
  from    = "team@example.com"
  body    = "Come back for 20% off your first month."
}

campaign "winback" {
  trigger "churned" {
    on   = tag_added(tag.churned)
    next = wait.week
  }

  wait "week" {
    for  = "7d"
    at   = "10:00"
    next = send_email.miss_you
  }

  send_email "miss_you" {
    email = email.miss_you
    next  = end.done
  }

  end "done" {}
}
