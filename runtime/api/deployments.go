package api

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/journeyhq/journey/runtime"
)

// The error codes of the deployments' routes.
const (
	// CodeStalePlan: the plan file was made against another deployment
	// serial than the one the server runs now (409).
	CodeStalePlan = "stale_plan"
	// CodeApplyRefused: the apply would strand contacts on what the new
	// plan removes (422); the error's Stranded names them.
	CodeApplyRefused = "apply_refused"
)

// Applied is the answer of POST /v1/deployments: the deployment made and
// what it did to the contacts in flight.
type Applied struct {
	Deployment DeploymentRecord     `json:"deployment"`
	Report     *runtime.ApplyReport `json:"report"`
}

// Preview is the answer of POST /v1/deployments/preview: what applying the
// plan file would do to the contacts in flight now, computed by the real
// migration in a transaction rolled back.
type Preview struct {
	// Against is the deployment the preview was computed on (the one the
	// server runs).
	Against DeploymentRef        `json:"against"`
	Report  *runtime.ApplyReport `json:"report"`
}

// Positions is the answer of GET /v1/deployments/preview: the contacts on
// each element (campaign/element) and step (sequence/step) of the plan
// the server runs now, which every changed or removed element of a new
// plan would touch.
type Positions struct {
	Deployment DeploymentRef  `json:"deployment"`
	Counts     map[string]int `json:"counts"`
}

// DeploymentRecord is one deployment of the history: its serial, its
// plan's hash, when and by whom it was applied, and how many top-level
// blocks it added, changed and removed.
type DeploymentRecord struct {
	Serial    int64         `json:"serial"`
	Hash      string        `json:"hash"`
	AppliedAt time.Time     `json:"applied_at"`
	AppliedBy string        `json:"applied_by"`
	Summary   ChangeSummary `json:"summary"`
	// Plan is the plan's JSON as applied (GET /v1/deployments/{id} only).
	Plan json.RawMessage `json:"plan,omitempty"`
}

// ChangeSummary counts the top-level blocks (campaigns, sequences, rules,
// assets, fields, the account) a deployment added, changed and removed.
type ChangeSummary struct {
	Add    int `json:"add"`
	Change int `json:"change"`
	Remove int `json:"remove"`
}

// Deployments is the answer of GET /v1/deployments: the history, newest
// first.
type Deployments struct {
	Deployments []DeploymentRecord `json:"deployments"`
}

// Apply posts a plan file (journey plan --server URL --out FILE writes
// one) to POST /v1/deployments. A stale plan is an *Error with code
// stale_plan (409); an apply that would strand contacts is one with code
// apply_refused (422) listing them in Stranded.
func (c *Client) Apply(ctx context.Context, planFile []byte) (*Applied, error) {
	var out Applied
	return &out, c.postRaw(ctx, "/v1/deployments", planFile, &out)
}

// PreviewApply posts a plan file to POST /v1/deployments/preview: what the
// apply would do, changing nothing.
func (c *Client) PreviewApply(ctx context.Context, planFile []byte) (*Preview, error) {
	var out Preview
	return &out, c.postRaw(ctx, "/v1/deployments/preview", planFile, &out)
}

// Positions gets the contacts on each element of the plan the server runs
// (GET /v1/deployments/preview).
func (c *Client) Positions(ctx context.Context) (*Positions, error) {
	var out Positions
	return &out, c.call(ctx, http.MethodGet, "/v1/deployments/preview", nil, nil, &out)
}

// Deployments lists the history, newest first, at most limit (0: the
// server's default).
func (c *Client) Deployments(ctx context.Context, limit int) (*Deployments, error) {
	q := url.Values{}
	if limit > 0 {
		q.Set("limit", strconv.Itoa(limit))
	}
	var out Deployments
	return &out, c.call(ctx, http.MethodGet, "/v1/deployments", q, nil, &out)
}

// DeploymentPlan gets one deployment of the history with its plan's JSON,
// exactly as it was applied.
func (c *Client) DeploymentPlan(ctx context.Context, serial int64) ([]byte, error) {
	var out DeploymentRecord
	if err := c.call(ctx, http.MethodGet, "/v1/deployments/"+strconv.FormatInt(serial, 10), nil, nil, &out); err != nil {
		return nil, err
	}
	if len(out.Plan) == 0 {
		return nil, errors.New("the server's answer has no plan")
	}
	return out.Plan, nil
}

// postRaw posts a JSON body as it is (a plan file is sent byte for
// byte: its hash is checked on the other side).
func (c *Client) postRaw(ctx context.Context, path string, body []byte, out any) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, strings.TrimSuffix(c.BaseURL, "/")+path, bytes.NewReader(body))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", ContentTypeJSON)
	if c.Token != "" {
		req.Header.Set("Authorization", "Bearer "+c.Token)
	}
	_, err = c.do(req, out)
	return err
}
