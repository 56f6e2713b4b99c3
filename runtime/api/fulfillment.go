package api

import (
	"context"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"time"
)

// FulfillmentList is GET /v1/fulfillment/{list}: the rows that wait for a
// batch and the batches cut, newest first.
type FulfillmentList struct {
	List string `json:"list"`
	// Pending counts the rows no batch has taken yet; OldestPendingAt is
	// when the oldest of them was added (null when none waits).
	Pending         int                `json:"pending"`
	OldestPendingAt *time.Time         `json:"oldest_pending_at"`
	Batches         []FulfillmentBatch `json:"batches"`
}

// FulfillmentBatch is a batch of a fulfillment list: one CSV.
type FulfillmentBatch struct {
	ID int64 `json:"id"`
	// Rows is how many rows the cut took (a contact deleted since takes
	// its row out of the CSV).
	Rows      int       `json:"rows"`
	CreatedAt time.Time `json:"created_at"`
	// DeliveryID is the outbox delivery that mails the batch (null when
	// the list has no deliver_to); MailedAt is when it was sent (null
	// until then).
	DeliveryID *int64     `json:"delivery_id"`
	MailedAt   *time.Time `json:"mailed_at"`
	// CSV is the path the batch downloads from.
	CSV string `json:"csv"`
}

// FulfillmentBatchPath is where a batch's CSV downloads from.
func FulfillmentBatchPath(list string, id int64) string {
	return fulfillmentPath(list) + "/batches/" + strconv.FormatInt(id, 10) + ".csv"
}

func fulfillmentPath(list string) string { return "/v1/fulfillment/" + url.PathEscape(list) }

// FulfillmentList gets a list's pending count and batches.
func (c *Client) FulfillmentList(ctx context.Context, list string) (*FulfillmentList, error) {
	var out FulfillmentList
	return &out, c.call(ctx, http.MethodGet, fulfillmentPath(list), nil, nil, &out)
}

// CutFulfillmentBatch puts every pending row of a list in a batch now;
// nothing pending is an *Error with code conflict.
func (c *Client) CutFulfillmentBatch(ctx context.Context, list string) (*FulfillmentBatch, error) {
	var out FulfillmentBatch
	return &out, c.call(ctx, http.MethodPost, fulfillmentPath(list)+"/batches", nil, nil, &out)
}

// FulfillmentCSV downloads a batch's CSV into w.
func (c *Client) FulfillmentCSV(ctx context.Context, list string, id int64, w io.Writer) error {
	req, err := c.request(ctx, http.MethodGet, FulfillmentBatchPath(list, id), nil, nil)
	if err != nil {
		return err
	}
	resp, err := c.httpClient().Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if resp.StatusCode/100 != 2 {
		return errorOf(resp)
	}
	_, err = io.Copy(w, resp.Body)
	return err
}
