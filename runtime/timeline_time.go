package runtime

import "time"

// TimelineTime is how a timeline line says when, in loc: "Tue 11 Jun
// 07:00 EDT". journey contacts timeline prints a server's entries with it,
// as journey simulate prints its own (TimelineEntry.Line).
func TimelineTime(t time.Time, loc *time.Location) string {
	return t.In(loc).Format(timelineTimeLayout)
}
