package server

import (
	"context"
	"fmt"
	"net/http"
	"time"

	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/journeyhq/journey/runtime/api"
)

// readyTimeout bounds how long /readyz waits for the database.
const readyTimeout = 2 * time.Second

func (s *Server) health(w http.ResponseWriter, r *http.Request) error {
	writeJSON(w, http.StatusOK, api.Health{Status: "ok"})
	return nil
}

// ready answers 200 when the database answers (and the queue runs, once
// wired), 503 with the reason otherwise.
func (s *Server) ready(w http.ResponseWriter, r *http.Request) error {
	ctx, cancel := context.WithTimeout(r.Context(), readyTimeout)
	defer cancel()
	out := api.Ready{Status: "ready", Deployment: s.deploymentView()}
	var one int
	if err := s.store.DB().QueryRowContext(ctx, `SELECT 1`).Scan(&one); err != nil {
		out.Status, out.Reason = "not_ready", fmt.Sprintf("the database does not answer: %v", err)
	} else if s.queueReady != nil {
		if err := s.queueReady(ctx); err != nil {
			out.Status, out.Reason = "not_ready", fmt.Sprintf("the delivery queue does not run: %v", err)
		}
	}
	status := http.StatusOK
	if out.Status != "ready" {
		status = http.StatusServiceUnavailable
	}
	writeJSON(w, status, out)
	return nil
}

func (s *Server) serveMetrics(w http.ResponseWriter, r *http.Request) error {
	promhttp.HandlerFor(s.registry, promhttp.HandlerOpts{}).ServeHTTP(w, r)
	return nil
}

func (s *Server) getDeployment(w http.ResponseWriter, r *http.Request) error {
	if err := s.refresh(r.Context()); err != nil {
		return err
	}
	d := s.deploymentView()
	if d == nil {
		return noDeployment(http.StatusNotFound)
	}
	writeJSON(w, http.StatusOK, d)
	return nil
}

// deploymentView is the deployment as the API shows it; nil for none.
func (s *Server) deploymentView() *api.Deployment {
	d := s.current()
	if d == nil {
		return nil
	}
	out := &api.Deployment{Serial: d.Serial, Hash: d.Hash, AppliedAt: d.AppliedAt.UTC()}
	if d.Program != nil {
		out.Campaigns = len(d.Program.Campaigns)
	}
	return out
}
