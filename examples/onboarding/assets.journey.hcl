# What the onboarding campaign sends, tests and listens for.

form "trial_signup" {
  description = "The 'Start your free trial' form on tallybook.example."
}

tag "trial" {}
tag "customer" {}

tag "activated" {
  description = "Added by the app when the first invoice is sent."
}

product "starter" {
  price     = 12
  recurring = true
}

product "pro" {
  price     = 29
  recurring = true
}

email "welcome" {
  subject = "Welcome to Tallybook, ${contact.first_name}!"
  from    = "hello@tallybook.example"
  body    = template("emails/welcome.html")
  kind    = "transactional"
}

# From Dana, so the name in the inbox is hers too: replies reach a person.
email "trial_ending" {
  subject   = "${contact.first_name}, your Tallybook trial ends in 2 days"
  from      = "dana@tallybook.example"
  from_name = "Dana at Tallybook"
  reply_to  = "dana@tallybook.example"
  body      = <<-EOT
    Hi ${contact.first_name},

    Your free trial ends on ${contact.trial_ends}. Keep every invoice, client
    and reminder you set up by choosing a plan:

      Starter, $12/month: unlimited invoices for one person.
      Pro, $29/month: recurring invoices, late-fee automation and a team seat.

    Pick a plan: https://tallybook.example/billing

    Questions? Just reply; this comes straight to me.
    Dana
  EOT
}

email "thanks" {
  subject = "You're all set, ${contact.first_name}"
  from    = "hello@tallybook.example"
  body    = "Thanks for choosing Tallybook, ${contact.first_name}. Your receipt is in your account, and your invoices keep going without a pause."
  kind    = "transactional"
}

# The step sequence's tips: marketing emails (the default kind), each sent
# at most once per contact.

email "tip_branding" {
  subject = "Make your invoices look like you"
  from    = "hello@tallybook.example"
  body    = "Hi ${contact.first_name}, add your logo and colours under Settings > Branding. Clients pay branded invoices 11% faster."
}

email "tip_reminders" {
  subject = "Stop chasing late payments"
  from    = "hello@tallybook.example"
  body    = "Turn on automatic payment reminders and Tallybook nudges your clients for you, politely."
}

email "tip_reports" {
  subject = "Your money, at a glance"
  from    = "hello@tallybook.example"
  body    = "The Reports tab shows what you've billed, what's paid and what's overdue, ${contact.first_name}. Try it with your first week's invoices."
}

# The same tip under another subject line: trial_tips sends each trial one
# of the two.
email "tip_reports_overdue" {
  subject = "Who still owes you money?"
  from    = "hello@tallybook.example"
  body    = "The Reports tab shows what you've billed, what's paid and what's overdue, ${contact.first_name}. Try it with your first week's invoices."
}

sms "setup_nudge" {
  body = "Hi ${contact.first_name}, it's Dana from Tallybook. Sending your first invoice takes 2 minutes: https://tallybook.example/new-invoice Reply STOP to opt out."
}
