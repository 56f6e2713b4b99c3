# Riverbend Gardening Club: a paid online membership (courses, forum, a
# seed-packet welcome kit by post). This workspace has legacy sequences and
# rules beside four campaigns that hand contacts to each other, and a fifth
# that segments start (segments.journey.hcl).

account {
  time_zone         = "Europe/London"
  default_send_time = "09:30"
  senders           = ["hello@riverbend.example", "maria@riverbend.example"]
  sms_numbers       = ["+447700900123"]
  edition           = "pro"
  # The anniversary postcard goes to these fields, in this order.
  postal_address = [field.street_address, field.postcode, field.country]
}

field "birthday" {
  type = date
}

field "member_since" {
  type      = date
  read_only = true
}

field "renewal_date" {
  type        = date
  description = "The day the annual or monthly membership next renews, kept up to date by billing."
}

field "street_address" {
  type = string
}

field "postcode" {
  type = string
}

field "membership_level" {
  type    = string
  default = "none"
}

user "maria" {
  name        = "Maria Okafor"
  email       = "maria@riverbend.example"
  phone       = "+447700900456"
  description = "Maria Okafor, member care lead."
}

user "tom" {
  name        = "Tom Ellis"
  email       = "tom@riverbend.example"
  description = "Tom Ellis, member care."
}

user "warehouse" {
  email       = "packing@riverbend.example"
  description = "The packing team that posts welcome kits."
}

lead_router "member_care" {
  users    = [user.maria, user.tom]
  strategy = "weighted"
  weights  = [60, 40]
}
