package server

import (
	"net/http"

	"github.com/journeyhq/journey/runtime/api"
)

// serverStatus answers GET /v1/status: the deployment, the backlog and
// the outbox from the database, the lateness and the queue's depth from
// the metrics the scheduler and the queue keep (absent when this process
// runs neither).
func (s *Server) serverStatus(w http.ResponseWriter, r *http.Request) error {
	if _, err := query(r); err != nil {
		return err
	}
	if err := s.refresh(r.Context()); err != nil {
		return err
	}
	now := s.now()
	st, err := s.store.Status(r.Context(), now)
	if err != nil {
		return err
	}
	lateness, depth, err := s.processStatus()
	if err != nil {
		return err
	}
	out := api.Status{
		Deployment: s.deploymentView(),
		Now:        now.UTC(),
		Backlog:    api.Backlog{Due: st.Due, OldestDueAt: st.OldestDue},
		Lateness:   lateness,
		Outbox:     map[string]int{},
		QueueDepth: depth,
	}
	for _, status := range api.DeliveryStatuses() {
		out.Outbox[status] = st.Deliveries[status]
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}
