# A legacy rule: when an event happens, if a condition holds, run actions.
rule "annual_members" {
  when = product_purchased(product.annual_membership)
  if   = !has_tag(tag.annual_member)

  then {
    change_tags {
      add = [tag.annual_member]
    }
    update_contact {
      set = { membership_level = "annual" }
    }
    adjust_points {
      points = 25
    }
  }
}
