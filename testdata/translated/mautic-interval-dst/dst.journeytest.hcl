# Mautic 5.x sends at 2021-11-08T17:00:00Z (12:00 New York standard time).
# KNOWN DIFFERENCE: journey keeps the wall clock, 13:00 New York time.
scenario "15 days across the fall-back change" {
  campaign = campaign.fifteen_days
  start    = "2021-10-24T17:00:00Z"
  for      = "20d"
  contact  = { email = "ny@example.com", time_zone = "America/New_York" }

  expect {
    sent = email.check_in
    at   = "2021-11-08T13:00:00-05:00"
  }
}
