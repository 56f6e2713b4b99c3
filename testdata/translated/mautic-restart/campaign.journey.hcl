# Sources:
#   Mautic user documentation, mautic/user-documentation,
#     docs/campaigns/creating_campaigns.rst, the campaign property "Allow
#     Contacts to restart the Campaign"; and
#     docs/campaigns/campaign_builder.rst, the "Change Campaigns" action
#     ("You must remove a Contact from a Campaign before restarting").
#   Mautic 5.x, mautic/mautic,
#     app/bundles/CampaignBundle/Tests/Membership/Action/AdderTest.php,
#     testManuallyRemovedIsNotAddedBackWhenFilterActionAddsTheMember and
#     testFilterRemovedAddedBackWhenManualActionAddsTheMember.
#
# What Mautic documents and asserts: without "allow restart", a contact
# that has left the campaign is not added to it again (the Adder refuses);
# with it, the contact goes through the campaign again (a new rotation).
# A contact still in the campaign is not restarted by being added again:
# it has to be removed first.
#
# Translation: "allow restart" is journey's reentry = "always", its
# absence reentry = "once" (the default). Leaving the campaign is an
# `end` with exit = true; being added again is submitting the form again.
# docs/runtime.md, trigger: "A contact is never on one campaign twice at
# once."

account {
  time_zone = "UTC"
}

form "birthday_club" {}

email "welcome" {
  subject = "Welcome to the club"
  body    = "Hello ${contact.first_name}"
  kind    = "transactional"
}

campaign "no_restart" {
  trigger "joined" {
    on   = form_submitted(form.birthday_club)
    next = send_email.welcome
  }

  send_email "welcome" {
    email = email.welcome
    next  = wait.two_days
  }

  wait "two_days" {
    for  = "2d"
    next = end.done
  }

  end "done" {
    exit = true
  }
}

campaign "restart_allowed" {
  reentry = "always"

  trigger "joined" {
    on   = form_submitted(form.birthday_club)
    next = send_email.welcome
  }

  send_email "welcome" {
    email = email.welcome
    next  = wait.two_days
  }

  wait "two_days" {
    for  = "2d"
    next = end.done
  }

  end "done" {
    exit = true
  }
}
