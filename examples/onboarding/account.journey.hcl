# Tallybook: invoicing for freelancers. This workspace is the 14-day trial
# onboarding: everything in this directory is loaded together, so blocks in
# one file reference blocks in another freely.

account {
  time_zone         = "America/New_York"
  default_send_time = "10:00"
  senders           = ["hello@tallybook.example", "dana@tallybook.example"]
  sms_numbers       = ["+15550100"]
}

# Contact fields beyond the built-in ones (email, first_name, phone, ...).
# Tallybook's app writes them through the API.

field "trial_ends" {
  type        = date
  description = "The last day of the 14-day free trial: set at signup by update_contact.start_trial."
}

field "plan" {
  type    = string
  default = "free"
}

field "signup_source" {
  type        = string
  read_only   = true
  description = "Written once by the signup form (utm_source); campaigns only read it."
}

field "company" {
  type = string
}

user "dana" {
  name        = "Dana Whitfield"
  email       = "dana@tallybook.example"
  phone       = "+15550123"
  description = "Dana Whitfield, account executive for trials."
}
