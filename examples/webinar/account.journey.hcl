# Brightline Analytics: monthly live demo webinars. Registrants come from
# every time zone, so reminders go out in each contact's own morning.

account {
  time_zone         = "America/Chicago"
  default_send_time = "09:00"
  senders           = ["events@brightline.example", "priya@brightline.example"]
  sms_numbers       = ["+13125550142"]
  edition           = "plus"
}

field "webinar_date" {
  type        = datetime
  description = "When the session the contact registered for starts, in Chicago time (set by the registration form)."
}

field "webinar_join_url" {
  type        = string
  description = "The contact's personal join link from the webinar platform."
}

field "job_title" {
  type = string
}

user "priya" {
  email       = "priya@brightline.example"
  description = "Priya Raman, solutions engineer who runs the demos."
}
