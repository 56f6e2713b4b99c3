package server

import (
	"errors"
	"net/http"

	"github.com/journeyhq/journey/compiler/plan"
	"github.com/journeyhq/journey/runtime"
	"github.com/journeyhq/journey/runtime/api"
)

// maxIdempotencyKey is the longest Idempotency-Key taken.
const maxIdempotencyKey = 255

const wantEvent = `an event is a JSON object: {"contact": {"email": "ada@example.com"}, "type": "tag_added", "tag": "attended"}`

// postEvent takes an event for a contact (POST /v1/events). A contact
// named by email or external_id that does not exist is created first; an
// Idempotency-Key seen before changes nothing and gets the first answer,
// byte for byte, marked Idempotent-Replayed.
func (s *Server) postEvent(w http.ResponseWriter, r *http.Request) (err error) {
	kind := "unknown"
	outcome := eventRejected
	defer func() { s.metrics.events.WithLabelValues(kind, outcome).Inc() }()

	dep := s.current()
	if dep == nil {
		return noDeployment(http.StatusConflict)
	}
	key := r.Header.Get("Idempotency-Key")
	if len(key) > maxIdempotencyKey {
		return badRequest("the Idempotency-Key is %d bytes long; at most %d are kept", len(key), maxIdempotencyKey)
	}
	obj, err := readJSONObject(r, wantEvent)
	if err != nil {
		return err
	}
	if _, given := obj["at"]; given {
		return badRequest(`unknown field "at": the server's clock is the event's time; leave "at" out`)
	}
	typ, _ := obj["type"].(string)
	if k, known := plan.LookupEvent(typ); known {
		kind = k.Name
		keys := []string{"contact", "type"}
		for _, p := range k.Params {
			keys = append(keys, p.Name)
		}
		if k.Name == "field_changed" {
			keys = append(keys, "value")
		}
		if err := onlyKeys(obj, "a "+k.Name+" event", append(keys, "properties")...); err != nil {
			return err
		}
	}
	ref, err := contactRef(obj["contact"])
	if err != nil {
		return err
	}
	var props map[string]any
	if v, given := obj["properties"]; given && v != nil {
		var isObject bool
		if props, isObject = v.(map[string]any); !isObject {
			return badRequest(`"properties" must be an object of the event's values, e.g. {"amount": 29}, not %s`, jsonText(v))
		}
	}
	ev, err := dep.Program.CheckEvent(obj)
	if err != nil {
		return unprocessable(err)
	}
	ev.Properties = props
	got, err := s.events.Receive(r.Context(), runtime.Inbound{Contact: ref, Event: ev, Key: key})
	if errors.Is(err, runtime.ErrNoContact) {
		return notFound("%s does not exist; name a new contact by email or external_id to create it with the event", ref)
	}
	if err != nil {
		return err
	}
	outcome = eventAccepted
	if got.Repeated {
		outcome = eventRepeated
		w.Header().Set("Idempotent-Replayed", "true")
	} else {
		s.Wake()
	}
	writeJSON(w, http.StatusAccepted, api.EventAccepted{EventID: got.Event.ID, ContactID: got.Event.ContactID})
	return nil
}
