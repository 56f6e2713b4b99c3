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

# A lapsed member who pays again is a member again (member_signup takes a
# contact once): they leave the lapsed_members segment, which is what
# lapsed_win_back's decision waits for.
rule "rejoined_monthly" {
  when = product_purchased(product.monthly_membership)
  if   = in_segment(segment.lapsed_members)

  then {
    change_tags {
      add    = [tag.member]
      remove = [tag.lapsed]
    }
    update_contact {
      set = { membership_level = "monthly" }
    }
    membership_access {
      site   = "riverbend-members"
      status = "enabled"
    }
    modify_segments {
      remove = [segment.not_coming_back]
    }
  }
}

rule "rejoined_annual" {
  when = product_purchased(product.annual_membership)
  if   = in_segment(segment.lapsed_members)

  then {
    change_tags {
      add    = [tag.member]
      remove = [tag.lapsed]
    }
    membership_access {
      site   = "riverbend-members"
      status = "enabled"
    }
    modify_segments {
      remove = [segment.not_coming_back]
    }
  }
}
