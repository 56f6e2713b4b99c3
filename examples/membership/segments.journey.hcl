# Segments, as Mautic keeps them: named sets of contacts. A dynamic segment
# holds the contacts its where is true of, updated whenever a contact
# changes; a static one holds whom modify_segments put in it. journey server
# reports their sizes (GET /v1/segments).

segment "lapsed_members" {
  description = "Former members: payment_recovery revoked their access and they have not paid since."
  where       = has_tag(tag.lapsed) && !has_tag(tag.member)
}

segment "not_coming_back" {
  description = "Lapsed members who let the come-back offer pass: left out of further offers, counted for the monthly report."
}
