# Brightline Analytics: monthly live demo webinars. Registrants come from
# every time zone, so reminders go out in each contact's own morning.

account {
  time_zone         = "America/Chicago"
  default_send_time = "09:00"
  senders           = ["events@brightline.example", "priya@brightline.example"]
  sms_numbers       = ["+13125550142"]
  edition           = "plus"
}

field "job_title" {
  type = string
}

user "priya" {
  email       = "priya@brightline.example"
  description = "Priya Raman, solutions engineer who runs the demos."
}
