account {
  time_zone = "America/New_York"
  senders   = ["team@example.com"]
}

form "trial_signup" {}

tag "lead" {}
tag "customer" {}

product "pro" {
  price = 49
}

email "welcome" {
  subject = "Welcome aboard, ${contact.first_name}"
  from    = "team@example.com"
  body    = <<-EOT
    Hi ${contact.first_name},

    Thanks for starting your trial! Here is how to get going:
    1. Import your contacts (CSV or from your CRM).
    2. Build your first campaign.
    3. Invite your team.

    The Example team
  EOT
  kind    = "transactional"
}

email "tip" {
  subject = "A tip for your first week"
  from    = "team@example.com"
  body    = "Did you know you can import contacts from a CSV?"
}

email "thanks" {
  subject = "Thank you for upgrading"
  from    = "team@example.com"
  body    = "Welcome to Pro, ${contact.first_name}."
  kind    = "transactional"
}
