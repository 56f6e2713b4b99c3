package server

import (
	"net/http"

	"github.com/journeyhq/journey/internal/suggest"
	"github.com/journeyhq/journey/runtime"
	"github.com/journeyhq/journey/runtime/api"
)

// segments lists the deployed plan's segments with their sizes (none
// before a plan), each counted from that segment's own memberships.
func (s *Server) segments(w http.ResponseWriter, r *http.Request) error {
	if _, err := query(r); err != nil {
		return err
	}
	out := []api.Segment{}
	d := s.current()
	if d == nil {
		writeJSON(w, http.StatusOK, out)
		return nil
	}
	tx, err := s.store.Begin(r.Context())
	if err != nil {
		return err
	}
	defer tx.Rollback()
	for _, g := range d.Program.Segments() {
		seg, err := segmentSize(tx, g)
		if err != nil {
			return err
		}
		out = append(out, seg)
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}

// segment is one segment's size, in the deployment it was counted in.
func (s *Server) segment(w http.ResponseWriter, r *http.Request) error {
	if _, err := query(r); err != nil {
		return err
	}
	d := s.current()
	if d == nil {
		return noDeployment(http.StatusNotFound)
	}
	name := r.PathValue("name")
	g := d.Program.Segment(name)
	if g == nil {
		var names []string
		for _, g := range d.Program.Segments() {
			names = append(names, g.Name)
		}
		if near := suggest.Closest(name, names); near != "" {
			return notFound("the deployed plan has no segment %q; did you mean %q?", name, near)
		}
		return notFound("the deployed plan has no segment %q (GET /v1/segments lists them)", name)
	}
	tx, err := s.store.Begin(r.Context())
	if err != nil {
		return err
	}
	defer tx.Rollback()
	seg, err := segmentSize(tx, g)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, api.SegmentStats{Segment: seg, Deployment: api.DeploymentRef{Serial: d.Serial, Hash: d.Hash}})
	return nil
}

func segmentSize(tx runtime.Tx, g *runtime.Segment) (api.Segment, error) {
	n, err := tx.SegmentSize(g.Name)
	seg := api.Segment{Name: g.Name, Dynamic: g.Dynamic(), Contacts: n}
	if g.Dynamic() {
		seg.Where = g.Where.Text
	}
	return seg, err
}
