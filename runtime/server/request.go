package server

import (
	"encoding/json"
	"io"
	"mime"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/journeyhq/journey/internal/jsonread"
	"github.com/journeyhq/journey/runtime"
	"github.com/journeyhq/journey/runtime/api"
)

// readJSONObject reads a request body holding one JSON object into obj
// (numbers as json.Number), in jsonread's words about a request body;
// want says what the body must hold.
func readJSONObject(r *http.Request, want string) (map[string]any, error) {
	if ct := r.Header.Get("Content-Type"); ct != "" {
		mt, _, err := mime.ParseMediaType(ct)
		if err != nil || mt != api.ContentTypeJSON {
			return nil, &httpError{status: http.StatusUnsupportedMediaType, code: api.CodeUnsupportedMediaType,
				msg: "the body must be JSON, sent with Content-Type: application/json (not " + ct + ")"}
		}
	}
	data, err := io.ReadAll(r.Body)
	if err != nil {
		return nil, err
	}
	var obj map[string]any
	if err := jsonread.Decode(data, &obj, jsonread.Options{Want: want, UseNumber: true, RequestBody: true}); err != nil {
		return nil, badRequest("%v", err)
	}
	if obj == nil {
		return nil, badRequest("%s; the request body holds null", want)
	}
	return obj, nil
}

// onlyKeys refuses a key of obj that is not one of keys: 400 naming it.
func onlyKeys(obj map[string]any, what string, keys ...string) error {
	var unknown []string
	for k := range obj {
		if !slices.Contains(keys, k) {
			unknown = append(unknown, k)
		}
	}
	if len(unknown) == 0 {
		return nil
	}
	slices.Sort(unknown)
	return badRequest("unknown field %q: %s takes %s", unknown[0], what, strings.Join(quoted(keys), ", "))
}

func quoted(keys []string) []string {
	out := make([]string, len(keys))
	for i, k := range keys {
		out[i] = strconv.Quote(k)
	}
	return out
}

// contactRef reads "contact" of a request: {"id": N}, {"external_id":
// "..."} or {"email": "..."}.
func contactRef(v any) (runtime.ContactRef, error) {
	const how = `"contact" names the contact: {"id": 12}, {"external_id": "crm-12"} or {"email": "ada@example.com"}`
	obj, ok := v.(map[string]any)
	if !ok {
		return runtime.ContactRef{}, badRequest("%s", how)
	}
	if err := onlyKeys(obj, `"contact"`, "id", "external_id", "email"); err != nil {
		return runtime.ContactRef{}, err
	}
	var ref runtime.ContactRef
	if v, given := obj["id"]; given {
		n, isNumber := v.(json.Number)
		id, err := n.Int64()
		if !isNumber || err != nil || id <= 0 {
			return ref, badRequest("contact.id must be a contact's id, a whole number above 0, not %s", jsonText(v))
		}
		ref.ID = id
	}
	for _, f := range []struct {
		key string
		dst *string
	}{{"external_id", &ref.ExternalID}, {"email", &ref.Email}} {
		key, dst := f.key, f.dst
		if v, given := obj[key]; given {
			s, isString := v.(string)
			if !isString {
				return ref, badRequest("contact.%s must be a string, not %s", key, jsonText(v))
			}
			*dst = s
		}
	}
	if ref.IsZero() {
		return ref, badRequest("%s", how)
	}
	return ref, nil
}

func jsonText(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}

// pathID reads the {id} of a route's path.
func pathID(r *http.Request, what string) (int64, error) {
	raw := r.PathValue("id")
	id, err := strconv.ParseInt(raw, 10, 64)
	if err != nil || id <= 0 {
		return 0, badRequest("%s id %q is not an id: ids are whole numbers above 0", what, raw)
	}
	return id, nil
}

// query reads a request's query, refusing a parameter the route does not
// take (a typo would otherwise filter nothing without a word).
func query(r *http.Request, params ...string) (url.Values, error) {
	q := r.URL.Query()
	for k := range q {
		if !slices.Contains(params, k) {
			if len(params) == 0 {
				return nil, badRequest("unknown query parameter %q: %s takes none", k, r.URL.Path)
			}
			return nil, badRequest("unknown query parameter %q: %s takes %s", k, r.URL.Path, strings.Join(params, ", "))
		}
		if len(q[k]) > 1 {
			return nil, badRequest("query parameter %q is given %d times: give it once", k, len(q[k]))
		}
	}
	return q, nil
}

// intParam reads an integer query parameter within [lo, hi]; def when
// absent.
func intParam(q url.Values, name string, def, lo, hi int64) (int64, error) {
	raw := q.Get(name)
	if raw == "" {
		return def, nil
	}
	n, err := strconv.ParseInt(raw, 10, 64)
	if err != nil || n < lo || n > hi {
		return 0, badRequest("%s=%s: %s must be a whole number from %d to %d", name, raw, name, lo, hi)
	}
	return n, nil
}
