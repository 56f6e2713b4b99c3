tag "member" {}
tag "annual_member" {}
tag "past_due" {}
tag "lapsed" {}
tag "green_thumb" {}

product "monthly_membership" {
  price     = 8
  recurring = true
}

product "annual_membership" {
  price     = 80
  recurring = true
}

form "update_card" {
  description = "riverbend.example/account/card: the card update page."
}

webhook "forum_invite" {
  url    = "https://forum.riverbend.example/api/invites"
  method = "POST"
  headers = {
    "X-Riverbend-Source" = "journey"
  }
}

fulfillment_list "welcome_kits" {
  fields      = [field.first_name, field.last_name, field.street_address, field.postcode]
  deliver_to  = user.warehouse
  description = "Seed-packet welcome kits, posted every Tuesday and Friday."

  batch {
    min_size = 25
    max_age  = "3d"
  }
}

task "collect_address" {
  subject  = "Get a postal address from ${contact.first_name} ${contact.last_name}"
  body     = "${contact.first_name} joined without a postal address, so their welcome kit is on hold. Email or call them, then fill in street_address and postcode."
  assignee = user.maria
  due_in   = "2d"
}

task "check_in_call" {
  subject = "Welcome call: ${contact.first_name} ${contact.last_name}"
  body    = "New member, quiet so far (${contact.points} points). A 5-minute call: what are they growing this season?"
  due_in  = "3d"
}

task "save_call" {
  subject = "Save call: ${contact.first_name}'s card was declined"
  body    = "Their membership is suspended after a declined payment. Call ${contact.phone} and offer help updating the card."
  due_in  = "1d"
}

postcard "anniversary" {
  front = "Happy Riverbend anniversary!"
  back  = "Dear ${contact.first_name}, another year of growing together. A packet of our heritage sweet peas is on its way. Maria & the Riverbend team"
}

email "welcome" {
  subject = "Welcome to the Riverbend Gardening Club, ${contact.first_name}"
  from    = "hello@riverbend.example"
  body    = template("emails/welcome.html")
  kind    = "transactional"
}

email "lesson_soil" {
  subject = "Lesson 1: know your soil"
  from    = "hello@riverbend.example"
  body    = "Hi ${contact.first_name}, every good garden starts underground. This week's lesson: the jam-jar soil test. https://riverbend.example/learn/soil"
}

email "lesson_seeds" {
  subject = "Lesson 2: sowing seeds that actually come up"
  from    = "hello@riverbend.example"
  body    = "Your welcome kit has four seed packets, ${contact.first_name}. Here's when and how deep to sow each: https://riverbend.example/learn/sowing"
}

email "lesson_compost" {
  subject = "Lesson 3: compost in 8 weeks"
  from    = "hello@riverbend.example"
  body    = "Hi ${contact.first_name}, the last lesson of the starter course: a compost heap that's ready by midsummer. https://riverbend.example/learn/compost"
}

email "birthday" {
  subject   = "Happy birthday, ${contact.first_name}!"
  from      = "maria@riverbend.example"
  from_name = "Maria at Riverbend"
  body      = "Happy birthday from all of us at Riverbend! Your members' shop discount is doubled this week: use code BLOOM at https://riverbend.example/shop"
  kind      = "transactional"
}

email "renewal_notice" {
  subject = "Your membership renews on ${contact.renewal_date}"
  from    = "hello@riverbend.example"
  body    = "Hi ${contact.first_name}, a heads-up: your Riverbend membership renews on ${contact.renewal_date}. Nothing to do if your card is up to date."
  kind    = "transactional"
}

email "card_declined" {
  subject = "Your Riverbend payment didn't go through"
  from    = "hello@riverbend.example"
  body    = "Hi ${contact.first_name}, your bank declined this month's membership payment. Update your card within 3 days to keep your access: https://riverbend.example/account/card"
  kind    = "transactional"
}

email "we_miss_you" {
  subject   = "We've paused your membership, ${contact.first_name}"
  from      = "maria@riverbend.example"
  from_name = "Maria at Riverbend"
  body      = "Hi ${contact.first_name}, your access to the courses and the forum is paused while your payment is outstanding. Update your card and everything comes straight back: https://riverbend.example/account/card"
}

sms "access_paused" {
  body = "Riverbend: your membership is paused after a declined payment, ${contact.first_name}. Update your card: https://riverbend.example/account/card"
}

email "come_back_offer" {
  subject = "Your garden misses you, ${contact.first_name}"
  from    = "maria@riverbend.example"
  body    = "Hi ${contact.first_name}, it has been a month. Come back to Riverbend this spring and your first month is on us: https://riverbend.example/rejoin"
}

email "welcome_back" {
  subject = "Welcome back, ${contact.first_name}!"
  from    = "maria@riverbend.example"
  body    = "Hi ${contact.first_name}, your courses and the forum are open again. Good to have you back."
  kind    = "transactional"
}
