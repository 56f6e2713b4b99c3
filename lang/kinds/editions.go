package kinds

// Edition is a value of account.edition: the feature tier whose actions
// the account has, and what its automation may not do besides. An account
// without an edition has every action and no limit.
type Edition struct {
	Name string
	// Tier is the tier whose actions it has (one of Tiers()): an action
	// whose Edition is a higher tier is an edition-feature error.
	Tier string
	// AnyPort: webhooks may call ports other than 80 and 443; elsewhere
	// such a call is a webhook-port error.
	AnyPort bool
	// Protected are the built-in fields its automation may not update
	// (Keap's timers: the name, the phone, the main email), and with
	// ProtectsPostalAddress the fields of account.postal_address too: an
	// update is an edition-protected-field error.
	Protected             []string
	ProtectsPostalAddress bool
}

// Tiers are the feature tiers, lowest first (Ontraport's account levels):
// each has the actions of the ones below it.
func Tiers() []string { return []string{"basic", "plus", "pro", "enterprise"} }

// EditionTable lists every value of account.edition: each tier, then the
// Keap-style edition, which has every action but whose timers may not
// change who the contact is or where it lives.
func EditionTable() []Edition {
	var out []Edition
	for _, t := range Tiers() {
		out = append(out, Edition{Name: t, Tier: t, AnyPort: t == "enterprise"})
	}
	// Keap's campaign timers may not update a contact's name, phone,
	// address or main email, and its HTTP posts call ports 80 and 443.
	return append(out, Edition{
		Name: "keap", Tier: "enterprise",
		Protected:             []string{"first_name", "last_name", "email", "phone"},
		ProtectsPostalAddress: true,
	})
}

// Editions are the values of account.edition, in table order.
func Editions() []string {
	var out []string
	for _, e := range EditionTable() {
		out = append(out, e.Name)
	}
	return out
}

// LookupEdition returns the edition by name, or nil: an account without
// an edition (or with one validation refused) has no limits.
func LookupEdition(name string) *Edition {
	for _, e := range EditionTable() {
		if e.Name == name {
			return &e
		}
	}
	return nil
}

// EditionHas reports whether the account edition has a feature that needs
// the tier required.
func EditionHas(edition, required string) bool {
	e := LookupEdition(edition)
	if e == nil || required == "" {
		return true
	}
	rank := func(tier string) int {
		for i, t := range Tiers() {
			if t == tier {
				return i
			}
		}
		return len(Tiers())
	}
	return rank(e.Tier) >= rank(required)
}
