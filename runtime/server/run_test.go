package server

import (
	"context"
	"errors"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/journeyhq/journey/internal/pgtest"
	"github.com/journeyhq/journey/runtime"
	"github.com/journeyhq/journey/runtime/api"
)

func TestPlanIsRecordedAsTheFirstDeploymentAndRunAfterARestart(t *testing.T) {
	t.Parallel()
	pgtest.Each(t, func(t *testing.T, db pgtest.Database) {
		t.Parallel()
		hooks := httpSink(t)
		dir := newServerDir(t, db)
		p := compilePlan(t, deliveriesWorkspace(hooks.URL()+"/hook"))
		cfg := dir.config(channels(nil))
		cfg.Plan = writePlan(t, dir.dir, p)

		s := start(t, cfg)
		d, err := s.client.Deployment(context.Background())
		if err != nil || d.Serial != 1 || d.Hash != p.Hash {
			t.Fatalf("GET /v1/deployment = %+v, %v; want serial 1 of %s", d, err, p.Hash)
		}
		// The steps run the deployment the store's head names: it is serial 1.
		tx, err := s.proc.store.Begin(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		head, err := tx.DeploymentHead()
		tx.Rollback()
		if _, serial := s.proc.server.engine.Deployment(); err != nil || head != 1 || serial != 1 {
			t.Errorf("the deployment head is %d (%v) and the engine runs serial %d; want both 1", head, err, serial)
		}
		s.stop()

		// Without --plan: the database's deployment runs.
		cfg.Plan = ""
		again := start(t, cfg)
		d, err = again.client.Deployment(context.Background())
		if err != nil || d.Serial != 1 || d.Hash != p.Hash {
			t.Fatalf("after a restart without --plan, GET /v1/deployment = %+v, %v; want serial 1 of %s", d, err, p.Hash)
		}
		ada := again.tag("ada@example.com", "crm")
		again.waitDelivery(ada, runtime.DeliverySent)
		again.stop()

		// With the same plan again: the same deployment, nothing new.
		cfg.Plan = writePlan(t, dir.dir, p)
		third := start(t, cfg)
		if d, err := third.client.Deployment(context.Background()); err != nil || d.Serial != 1 {
			t.Fatalf("with the same plan again, GET /v1/deployment = %+v, %v; want serial 1", d, err)
		}
	})
}

func TestAnotherPlanOnARunningDatabaseIsRefused(t *testing.T) {
	t.Parallel()
	pgtest.Each(t, func(t *testing.T, db pgtest.Database) {
		t.Parallel()
		hooks := httpSink(t)
		dir := newServerDir(t, db)
		first := compilePlan(t, deliveriesWorkspace(hooks.URL()+"/hook"))
		other := compilePlan(t, deliveriesWorkspace(hooks.URL()+"/other"))
		cfg := dir.config(channels(nil))
		cfg.Plan = writePlan(t, dir.dir, first)
		start(t, cfg).stop()

		cfg.Plan = writePlan(t, dir.dir, other)
		proc, err := Start(context.Background(), RunOptions{Config: cfg, EnvToken: lifecycleToken})
		if err == nil {
			proc.Stop(context.Background())
			t.Fatal("the server started with another plan on a database that runs one")
		}
		for _, want := range []string{first.Hash, other.Hash, "journey apply", cfg.Plan, cfg.DB} {
			if !strings.Contains(err.Error(), want) {
				t.Errorf("the refusal does not name %q: %v", want, err)
			}
		}
		// The refusal left the database as it was, and closed: it opens again.
		cfg.Plan = ""
		s := start(t, cfg)
		if d, err := s.client.Deployment(context.Background()); err != nil || d.Hash != first.Hash {
			t.Errorf("after the refusal, the deployment is %+v, %v; want the first plan's", d, err)
		}
	})
}

func TestWithoutAPlanTheAPIAnswersAndNothingRuns(t *testing.T) {
	t.Parallel()
	pgtest.Each(t, func(t *testing.T, db pgtest.Database) {
		t.Parallel()
		dir := newServerDir(t, db)
		s := start(t, dir.config(channels(nil)))
		_, err := s.client.Deployment(context.Background())
		var apiErr *api.Error
		if !errors.As(err, &apiErr) || apiErr.Status != 404 {
			t.Fatalf("GET /v1/deployment with no plan: %v; want a 404", err)
		}
		if !strings.Contains(s.logs.String(), "no plan deployed") {
			t.Errorf("the log does not say no plan is deployed:\n%s", s.logs)
		}
		ready, err := s.client.Ready(context.Background())
		if err != nil || ready.Status != "ready" || ready.Deployment != nil {
			t.Errorf("GET /readyz with no plan = %+v, %v; want ready, with no deployment", ready, err)
		}
	})
}

func TestReadyFileAndShutdownInOrder(t *testing.T) {
	t.Parallel()
	pgtest.Each(t, func(t *testing.T, db pgtest.Database) {
		t.Parallel()
		dir := newServerDir(t, db)
		ready := filepath.Join(dir.dir, "ready")
		s := start(t, dir.config(channels(nil)), func(o *RunOptions) { o.ReadyFile = ready })
		addr, err := os.ReadFile(ready)
		if err != nil || strings.TrimSpace(string(addr)) != s.proc.Addr {
			t.Fatalf("the ready file holds %q (%v), want the address %s", addr, err, s.proc.Addr)
		}
		if !strings.Contains(s.logs.String(), "journey server ready") || !strings.Contains(s.logs.String(), "addr="+s.proc.Addr) {
			t.Errorf("the log does not say the server is ready on %s:\n%s", s.proc.Addr, s.logs)
		}
		s.stop()
		if _, err := os.Stat(ready); !os.IsNotExist(err) {
			t.Errorf("the ready file is still there after the server stopped: %v", err)
		}
		log := s.logs.String()
		stages := []string{"stopping the API", "scheduler stopped", "stopping the delivery queue", "closing the database", "journey server stopped"}
		at := 0
		for _, stage := range stages {
			i := strings.Index(log[at:], stage)
			if i < 0 {
				t.Fatalf("the log does not say %q after the stages before it:\n%s", stage, log)
			}
			at += i
		}
		if _, err := net.Dial("tcp", s.proc.Addr); err == nil {
			t.Errorf("%s still takes connections after the server stopped", s.proc.Addr)
		}
	})
}

func TestAnAddressInUseIsRefused(t *testing.T) {
	t.Parallel()
	pgtest.Each(t, func(t *testing.T, db pgtest.Database) {
		t.Parallel()
		taken, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		defer taken.Close()
		dir := newServerDir(t, db)
		cfg := dir.config(channels(nil))
		cfg.Listen = taken.Addr().String()
		proc, err := Start(context.Background(), RunOptions{Config: cfg, EnvToken: lifecycleToken})
		if err == nil {
			proc.Stop(context.Background())
			t.Fatal("the server started on an address in use")
		}
		if !strings.Contains(err.Error(), cfg.Listen) || !strings.Contains(err.Error(), "--listen") {
			t.Errorf("the error does not name the address and --listen: %v", err)
		}
		// The database was closed: it opens again.
		cfg.Listen = "127.0.0.1:0"
		start(t, cfg)
	})
}

func TestASignalWhileStartingIsAStopNotAFailure(t *testing.T) {
	t.Parallel()
	pgtest.Each(t, func(t *testing.T, db pgtest.Database) {
		t.Parallel()
		dir := newServerDir(t, db)
		ctx, cancel := context.WithCancel(context.Background())
		cancel() // the signal came before the database was open
		if err := Run(ctx, RunOptions{Config: dir.config(channels(nil)), EnvToken: lifecycleToken}); err != nil {
			t.Errorf("Run stopped by its context while starting returned %v, want nil (exit 0)", err)
		}
	})
}

func TestADatabaseInAMissingDirectoryIsRefusedSayingSo(t *testing.T) {
	t.Parallel()
	dir := newServerDir(t, pgtest.SQLite)
	cfg := dir.config(channels(nil))
	cfg.DB = filepath.Join(dir.dir, "no-such-dir", "journey.db")
	_, err := Start(context.Background(), RunOptions{Config: cfg, EnvToken: lifecycleToken})
	if err == nil || !strings.Contains(err.Error(), "no-such-dir does not exist") || !strings.Contains(err.Error(), "--db") {
		t.Errorf("a database in a missing directory: %v; want an error saying the directory does not exist and naming --db", err)
	}
}

func TestAShortTokenIsWarnedAbout(t *testing.T) {
	t.Parallel()
	pgtest.Each(t, func(t *testing.T, db pgtest.Database) {
		t.Parallel()
		dir := newServerDir(t, db)
		s := start(t, dir.config(channels(nil)), func(o *RunOptions) { o.EnvToken = "letmein" })
		if !strings.Contains(s.logs.String(), "the API token is short") || strings.Contains(s.logs.String(), "letmein") {
			t.Errorf("a 7-character JOURNEY_TOKEN: the log should warn, without the token:\n%s", s.logs)
		}
	})
}
