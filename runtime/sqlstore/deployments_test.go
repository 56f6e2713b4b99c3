package sqlstore_test

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"github.com/journeyhq/journey/runtime/sqlstore"
)

func TestFirstDeploymentIsRecordedOnce(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "journey.db")
	store, err := sqlstore.OpenSQLite(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	if d, err := store.CurrentDeployment(ctx); err != nil || d != nil {
		t.Fatalf("a new database runs %+v (%v), want no deployment", d, err)
	}
	at := time.Date(2026, 6, 10, 17, 37, 12, 500, time.UTC)
	d, created, err := store.FirstDeployment(ctx, "sha256:aaa", []byte(`{"hash":"sha256:aaa"}`), at)
	if err != nil || !created {
		t.Fatalf("FirstDeployment = %+v, %v, %v; want a new deployment", d, created, err)
	}
	if d.Serial != 1 || d.Hash != "sha256:aaa" || !d.AppliedAt.Equal(at.Truncate(time.Second)) {
		t.Errorf("the first deployment is %+v, want serial 1 of sha256:aaa applied at %s", d, at)
	}
	// Another plan later: the first one stays, and is what is answered.
	again, created, err := store.FirstDeployment(ctx, "sha256:bbb", []byte(`{}`), at.Add(time.Hour))
	if err != nil || created || again.Hash != "sha256:aaa" || again.Serial != 1 {
		t.Fatalf("a second FirstDeployment = %+v, %v, %v; want the first one, not created", again, created, err)
	}
	store.Close()
	reopened, err := sqlstore.OpenSQLite(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer reopened.Close()
	current, err := reopened.CurrentDeployment(ctx)
	if err != nil || current == nil || current.Hash != "sha256:aaa" || string(current.Plan) != `{"hash":"sha256:aaa"}` {
		t.Fatalf("after reopening, the current deployment is %+v (%v)", current, err)
	}
}
