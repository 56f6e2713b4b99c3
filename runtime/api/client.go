package api

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
)

// Client calls a journey server. HTTP nil is http.DefaultClient. Every
// method returns an *Error for an error response.
type Client struct {
	BaseURL string // "http://127.0.0.1:8080"
	Token   string
	HTTP    *http.Client
}

func (c *Client) httpClient() *http.Client {
	if c.HTTP != nil {
		return c.HTTP
	}
	return http.DefaultClient
}

// request builds a request: a non-nil in is sent as JSON.
func (c *Client) request(ctx context.Context, method, path string, query url.Values, in any) (*http.Request, error) {
	u := strings.TrimSuffix(c.BaseURL, "/") + path
	if len(query) > 0 {
		u += "?" + query.Encode()
	}
	var body io.Reader
	if in != nil {
		data, err := json.Marshal(in)
		if err != nil {
			return nil, err
		}
		body = bytes.NewReader(data)
	}
	req, err := http.NewRequestWithContext(ctx, method, u, body)
	if err != nil {
		return nil, err
	}
	if in != nil {
		req.Header.Set("Content-Type", ContentTypeJSON)
	}
	if c.Token != "" {
		req.Header.Set("Authorization", "Bearer "+c.Token)
	}
	return req, nil
}

// do sends a request and decodes a 2xx answer into out (nil: none).
func (c *Client) do(req *http.Request, out any) (*http.Response, error) {
	resp, err := c.httpClient().Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	if resp.StatusCode/100 != 2 {
		return resp, errorOf(resp)
	}
	if out == nil {
		return resp, nil
	}
	if err := json.NewDecoder(resp.Body).Decode(out); err != nil {
		return resp, fmt.Errorf("%s %s: reading the answer: %w", req.Method, req.URL.Path, err)
	}
	return resp, nil
}

func (c *Client) call(ctx context.Context, method, path string, query url.Values, in, out any) error {
	req, err := c.request(ctx, method, path, query, in)
	if err != nil {
		return err
	}
	_, err = c.do(req, out)
	return err
}

// errorOf reads an error response; one that is not the API's JSON (a
// proxy's page) becomes an Error with the status and the body's start.
func errorOf(resp *http.Response) error {
	data, _ := io.ReadAll(io.LimitReader(resp.Body, 64<<10))
	var body ErrorBody
	if err := json.Unmarshal(data, &body); err == nil && body.Error != nil && body.Error.Code != "" {
		body.Error.Status = resp.StatusCode
		return body.Error
	}
	msg := strings.TrimSpace(string(data))
	if len(msg) > 200 {
		msg = msg[:200] + "..."
	}
	if msg == "" {
		msg = http.StatusText(resp.StatusCode)
	}
	return &Error{Status: resp.StatusCode, Code: "http_" + strconv.Itoa(resp.StatusCode), Message: msg}
}

// Health calls GET /healthz.
func (c *Client) Health(ctx context.Context) (*Health, error) {
	var out Health
	return &out, c.call(ctx, http.MethodGet, "/healthz", nil, nil, &out)
}

// Ready calls GET /readyz; a server that is not ready is an *Error with
// status 503.
func (c *Client) Ready(ctx context.Context) (*Ready, error) {
	var out Ready
	return &out, c.call(ctx, http.MethodGet, "/readyz", nil, nil, &out)
}

// SendEvent posts an event; a non-empty idempotencyKey makes a retry of
// the same call safe: it changes nothing and gets the first answer.
func (c *Client) SendEvent(ctx context.Context, ev Event, idempotencyKey string) (*EventAccepted, error) {
	req, err := c.request(ctx, http.MethodPost, "/v1/events", nil, ev)
	if err != nil {
		return nil, err
	}
	if idempotencyKey != "" {
		req.Header.Set("Idempotency-Key", idempotencyKey)
	}
	var out EventAccepted
	_, err = c.do(req, &out)
	return &out, err
}

// CreateContact creates a contact.
func (c *Client) CreateContact(ctx context.Context, fields ContactFields) (*Contact, error) {
	var out Contact
	return &out, c.call(ctx, http.MethodPost, "/v1/contacts", nil, fields, &out)
}

// Contact gets a contact by id.
func (c *Client) Contact(ctx context.Context, id int64) (*Contact, error) {
	var out Contact
	return &out, c.call(ctx, http.MethodGet, contactPath(id), nil, nil, &out)
}

// FindContact gets the contact a reference names.
func (c *Client) FindContact(ctx context.Context, ref ContactRef) (*Contact, error) {
	q := url.Values{}
	switch {
	case ref.ID != 0:
		return c.Contact(ctx, ref.ID)
	case ref.ExternalID != "":
		q.Set("external_id", ref.ExternalID)
	case ref.Email != "":
		q.Set("email", ref.Email)
	default:
		return nil, errors.New("the reference names no contact")
	}
	var out Contact
	return &out, c.call(ctx, http.MethodGet, "/v1/contacts", q, nil, &out)
}

// UpdateContact sets a contact's fields (nil unsets one; "tags" replaces
// the list).
func (c *Client) UpdateContact(ctx context.Context, id int64, fields ContactFields) (*Contact, error) {
	var out Contact
	return &out, c.call(ctx, http.MethodPatch, contactPath(id), nil, fields, &out)
}

// DeleteContact removes a contact and every trace of it.
func (c *Client) DeleteContact(ctx context.Context, id int64) error {
	return c.call(ctx, http.MethodDelete, contactPath(id), nil, nil, nil)
}

// ImportContacts streams a CSV (contentType ContentTypeCSV) or NDJSON
// (ContentTypeNDJSON) file of contacts to the server, calls each (when
// not nil) with every line of the answer as it comes, and returns the
// last line's counts. An error from each stops the import.
func (c *Client) ImportContacts(ctx context.Context, body io.Reader, contentType string, mode ImportMode, each func(ImportLine) error) (*ImportCounts, error) {
	q := url.Values{}
	if mode != "" {
		q.Set("mode", string(mode))
	}
	req, err := c.request(ctx, http.MethodPost, "/v1/contacts/import", q, nil)
	if err != nil {
		return nil, err
	}
	req.Body = io.NopCloser(body)
	req.Header.Set("Content-Type", contentType)
	resp, err := c.httpClient().Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	if resp.StatusCode/100 != 2 {
		return nil, errorOf(resp)
	}
	lines := bufio.NewScanner(resp.Body)
	lines.Buffer(make([]byte, 64<<10), 1<<20)
	for lines.Scan() {
		var line ImportLine
		if err := json.Unmarshal(lines.Bytes(), &line); err != nil {
			return nil, fmt.Errorf("reading the import's answer: %w", err)
		}
		if each != nil {
			if err := each(line); err != nil {
				return nil, err
			}
		}
		if line.Done != nil {
			return line.Done, nil
		}
		if line.Error != "" && line.Row == 0 {
			return nil, errors.New(line.Error)
		}
	}
	if err := lines.Err(); err != nil {
		return nil, err
	}
	return nil, errors.New("the import's answer ended before its last line: the server stopped; the rows it reported were imported")
}

// Timeline gets a page of a contact's timeline: the entries after the
// after-th (0: from the first), at most limit (0: the server's default).
func (c *Client) Timeline(ctx context.Context, id int64, after, limit int) (*Timeline, error) {
	q := url.Values{}
	if after > 0 {
		q.Set("after", strconv.Itoa(after))
	}
	if limit > 0 {
		q.Set("limit", strconv.Itoa(limit))
	}
	var out Timeline
	return &out, c.call(ctx, http.MethodGet, contactPath(id)+"/timeline", q, nil, &out)
}

// Campaigns lists the deployed plan's campaigns.
func (c *Client) Campaigns(ctx context.Context) ([]Campaign, error) {
	var out []Campaign
	return out, c.call(ctx, http.MethodGet, "/v1/campaigns", nil, nil, &out)
}

// CampaignStats counts a campaign's contacts per element.
func (c *Client) CampaignStats(ctx context.Context, name string) (*CampaignStats, error) {
	var out CampaignStats
	return &out, c.call(ctx, http.MethodGet, "/v1/campaigns/"+url.PathEscape(name)+"/stats", nil, nil, &out)
}

// Segments lists the deployed plan's segments with their sizes.
func (c *Client) Segments(ctx context.Context) ([]Segment, error) {
	var out []Segment
	return out, c.call(ctx, http.MethodGet, "/v1/segments", nil, nil, &out)
}

// Segment is one segment's size.
func (c *Client) Segment(ctx context.Context, name string) (*SegmentStats, error) {
	var out SegmentStats
	return &out, c.call(ctx, http.MethodGet, "/v1/segments/"+url.PathEscape(name), nil, nil, &out)
}

// Outbox lists the outbox.
func (c *Client) Outbox(ctx context.Context, f OutboxQuery) (*Outbox, error) {
	q := url.Values{}
	set := func(k, v string) {
		if v != "" && v != "0" {
			q.Set(k, v)
		}
	}
	set("status", f.Status)
	set("channel", f.Channel)
	set("contact", strconv.FormatInt(f.Contact, 10))
	set("after", strconv.FormatInt(f.After, 10))
	set("limit", strconv.Itoa(f.Limit))
	var out Outbox
	return &out, c.call(ctx, http.MethodGet, "/v1/outbox", q, nil, &out)
}

// Delivery gets one delivery of the outbox.
func (c *Client) Delivery(ctx context.Context, id int64) (*Delivery, error) {
	var out Delivery
	return &out, c.call(ctx, http.MethodGet, "/v1/outbox/"+strconv.FormatInt(id, 10), nil, nil, &out)
}

// RetryDelivery sends a failed or held delivery again.
func (c *Client) RetryDelivery(ctx context.Context, id int64) (*Delivery, error) {
	var out Delivery
	return &out, c.call(ctx, http.MethodPost, "/v1/outbox/"+strconv.FormatInt(id, 10)+"/retry", nil, nil, &out)
}

// Deployment gets the plan version the server runs; none is an *Error
// with code no_deployment.
func (c *Client) Deployment(ctx context.Context) (*Deployment, error) {
	var out Deployment
	return &out, c.call(ctx, http.MethodGet, "/v1/deployment", nil, nil, &out)
}

func contactPath(id int64) string { return "/v1/contacts/" + strconv.FormatInt(id, 10) }

// Status gets what journey status shows: the deployment, the due backlog,
// the timers' lateness, the outbox by status and the queue's depth.
func (c *Client) Status(ctx context.Context) (*Status, error) {
	var out Status
	return &out, c.call(ctx, http.MethodGet, "/v1/status", nil, nil, &out)
}
