package kinds

// The plan's schema, its typed settings, the action reference of
// docs/language.md and the zone list follow from this table:
// internal/kindsgen writes them, and a test fails when one is stale.
//go:generate go run ../../internal/cmd/kindsgen -root ../..
