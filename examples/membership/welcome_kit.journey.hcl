campaign "welcome_kit" {
  description = "Queue the seed-packet kit for posting; get an address first when there is none."
  reentry     = "always"

  trigger "added" {
    on   = added_to_campaign()
    next = condition.has_address
  }

  condition "has_address" {
    if   = trimspace(contact.postcode) != ""
    then = send_to_fulfillment.kit
    else = assign_task.get_address
  }

  # The contact waits here until Maria marks the task done.
  assign_task "get_address" {
    task                = task.collect_address
    wait_for_completion = true
    next                = send_to_fulfillment.kit
  }

  send_to_fulfillment "kit" {
    list = fulfillment_list.welcome_kits
    next = apply_note.kit_queued
  }

  apply_note "kit_queued" {
    text = "Welcome kit queued for ${contact.street_address}, ${contact.postcode}."
    next = end.queued
  }

  end "queued" {}
}
