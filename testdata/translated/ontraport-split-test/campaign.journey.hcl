# Source: Ontraport support, "Split Testing Emails",
#   https://support.ontraport.com/hc/en-us/articles/217882428-Split-Testing-Emails
#
# What Ontraport documents: a Split element sends contacts down one of two
# paths, version A or version B, in the proportion set on it (any
# percentage); an email on each path makes an A/B test of the emails. Each
# contact gets one of the two versions. The split has two paths only.
#
# Translation: the Split element is a journey `split` with two `path`
# blocks of weight 50 each. Which path a given contact takes is journey's
# own choice (a hash of the contact's identity, docs/runtime.md, "Who a
# contact is"): the scenarios' emails were picked with journey simulate to
# land one on each path. What they pin is the source's rule: one version
# per contact, never both.
#
# Not translated: "picking a winner" by sliding the split to 100% for one
# version. journey's split needs every weight positive (docs/rules.md,
# split-weights); the winner is written by pointing the element before
# the split at the winning email instead.

account {
  time_zone = "UTC"
}

form "signup" {}

email "version_a" {
  subject = "Version A: save 20%"
  body    = "Hi ${contact.first_name}"
}

email "version_b" {
  subject = "Version B: a free month"
  body    = "Hi ${contact.first_name}"
}

campaign "offer_test" {
  trigger "signed_up" {
    on   = form_submitted(form.signup)
    next = split.offer
  }

  split "offer" {
    path {
      weight = 50
      next   = send_email.version_a
    }
    path {
      weight = 50
      next   = send_email.version_b
    }
  }

  send_email "version_a" {
    email = email.version_a
  }

  send_email "version_b" {
    email = email.version_b
  }
}
