# Source: Mautic 5.x, mautic/mautic,
#   app/bundles/CampaignBundle/Tests/Functional/Campaign/CampaignDecisionTest.php,
#   testCampaignContactFieldValueDecision, data sets "With include filter
#   for contact select field", "With exclude filter for contact select
#   field", "With include filter for contact multiselect field" and "With
#   exclude filter for contact multiselect field".
#
# What Mautic asserts: a "contact field value" condition with the operator
# "in" [v1, v3] sends contacts whose select field is v1 or v3 down the yes
# path (10 points) and every other contact, including one whose field is
# empty, down the no path (5 points). With "not in", the paths swap: the
# contact with the empty field takes the yes path. For a multiselect field
# (the test gives contact n the values vn and v5), "in" holds when any
# selected value is v1 or v3.
#
# Translation: the condition is a journey `condition`; the select field is
# a string field tested with contains() on the list of values, the
# multiselect a list(string) field tested value by value. An empty field is
# unset, read as "" or [] (docs/language.md, Unset fields), so "not in" is
# the `!` of "in", as in Mautic. The points are adjust_points.
#
# The test runs five contacts through one campaign; a journey scenario
# runs one contact, so each contact is a scenario.

account {
  time_zone = "UTC"
}

form "signup" {}

field "select_field" {
  type = string
}

field "multi_field" {
  type = list(string)
}

campaign "select_in" {
  trigger "signed_up" {
    on   = form_submitted(form.signup)
    next = condition.in_v1_v3
  }

  condition "in_v1_v3" {
    if   = contains(["v1", "v3"], contact.select_field)
    then = adjust_points.yes
    else = adjust_points.no
  }

  adjust_points "yes" {
    points = 10
  }

  adjust_points "no" {
    points = 5
  }
}

campaign "select_not_in" {
  trigger "signed_up" {
    on   = form_submitted(form.signup)
    next = condition.not_in_v1_v3
  }

  condition "not_in_v1_v3" {
    if   = !contains(["v1", "v3"], contact.select_field)
    then = adjust_points.yes
    else = adjust_points.no
  }

  adjust_points "yes" {
    points = 10
  }

  adjust_points "no" {
    points = 5
  }
}

campaign "multiselect_in" {
  trigger "signed_up" {
    on   = form_submitted(form.signup)
    next = condition.any_in_v1_v3
  }

  condition "any_in_v1_v3" {
    if   = contains(contact.multi_field, "v1") || contains(contact.multi_field, "v3")
    then = adjust_points.yes
    else = adjust_points.no
  }

  adjust_points "yes" {
    points = 10
  }

  adjust_points "no" {
    points = 5
  }
}

campaign "multiselect_not_in" {
  trigger "signed_up" {
    on   = form_submitted(form.signup)
    next = condition.none_in_v1_v3
  }

  condition "none_in_v1_v3" {
    if   = !(contains(contact.multi_field, "v1") || contains(contact.multi_field, "v3"))
    then = adjust_points.yes
    else = adjust_points.no
  }

  adjust_points "yes" {
    points = 10
  }

  adjust_points "no" {
    points = 5
  }
}
