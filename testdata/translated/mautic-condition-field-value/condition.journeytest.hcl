# "With include filter for contact select field": l1 (v1) and l3 (v3) take
# yes; l2 (v2), l4 (v4) and l5 (no value) take no.
scenario "select in: v1 takes yes" {
  campaign = campaign.select_in
  start    = "2024-05-06T09:00:00Z"
  for      = "1d"
  contact  = { email = "l1@example.com", select_field = "v1" }

  expect {
    fields = { points = 10 }
  }
}

# l3 (v3): yes.
scenario "select in: v3 takes yes" {
  campaign = campaign.select_in
  start    = "2024-05-06T09:00:00Z"
  for      = "1d"
  contact  = { email = "l3@example.com", select_field = "v3" }

  expect {
    fields = { points = 10 }
  }
}

# l2 (v2): no.
scenario "select in: v2 takes no" {
  campaign = campaign.select_in
  start    = "2024-05-06T09:00:00Z"
  for      = "1d"
  contact  = { email = "l2@example.com", select_field = "v2" }

  expect {
    fields = { points = 5 }
  }
}

# l5, whose field is empty: no.
scenario "select in: an empty field takes no" {
  campaign = campaign.select_in
  start    = "2024-05-06T09:00:00Z"
  for      = "1d"
  contact  = { email = "l5@example.com" }

  expect {
    fields = { points = 5 }
  }
}

# "With exclude filter for contact select field": the paths swap; l1: no.
scenario "select not in: v1 takes no" {
  campaign = campaign.select_not_in
  start    = "2024-05-06T09:00:00Z"
  for      = "1d"
  contact  = { email = "l1@example.com", select_field = "v1" }

  expect {
    fields = { points = 5 }
  }
}

# l4 (v4): yes.
scenario "select not in: v4 takes yes" {
  campaign = campaign.select_not_in
  start    = "2024-05-06T09:00:00Z"
  for      = "1d"
  contact  = { email = "l4@example.com", select_field = "v4" }

  expect {
    fields = { points = 10 }
  }
}

# l5, whose field is empty: yes.
scenario "select not in: an empty field takes yes" {
  campaign = campaign.select_not_in
  start    = "2024-05-06T09:00:00Z"
  for      = "1d"
  contact  = { email = "l5@example.com" }

  expect {
    fields = { points = 10 }
  }
}

# "With include filter for contact multiselect field": contact n has vn and
# v5; l3 (v3, v5): yes.
scenario "multiselect in: v3 and v5 takes yes" {
  campaign = campaign.multiselect_in
  start    = "2024-05-06T09:00:00Z"
  for      = "1d"
  contact  = { email = "l3@example.com", multi_field = ["v3", "v5"] }

  expect {
    fields = { points = 10 }
  }
}

# l2 (v2, v5): no.
scenario "multiselect in: v2 and v5 takes no" {
  campaign = campaign.multiselect_in
  start    = "2024-05-06T09:00:00Z"
  for      = "1d"
  contact  = { email = "l2@example.com", multi_field = ["v2", "v5"] }

  expect {
    fields = { points = 5 }
  }
}

# l5, no values: no.
scenario "multiselect in: no values takes no" {
  campaign = campaign.multiselect_in
  start    = "2024-05-06T09:00:00Z"
  for      = "1d"
  contact  = { email = "l5@example.com" }

  expect {
    fields = { points = 5 }
  }
}

# "With exclude filter for contact multiselect field": l1 (v1, v5): no.
scenario "multiselect not in: v1 and v5 takes no" {
  campaign = campaign.multiselect_not_in
  start    = "2024-05-06T09:00:00Z"
  for      = "1d"
  contact  = { email = "l1@example.com", multi_field = ["v1", "v5"] }

  expect {
    fields = { points = 5 }
  }
}

# l5, no values: yes.
scenario "multiselect not in: no values takes yes" {
  campaign = campaign.multiselect_not_in
  start    = "2024-05-06T09:00:00Z"
  for      = "1d"
  contact  = { email = "l5@example.com" }

  expect {
    fields = { points = 10 }
  }
}
