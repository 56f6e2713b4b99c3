package server

import (
	"bytes"
	"encoding/base64"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestTokenIsMadeOnceSavedPrivatelyAndPrintedOnce(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "journey.db")
	var first bytes.Buffer
	tok, err := LoadToken(db, "", "http://127.0.0.1:8080", &first)
	if err != nil {
		t.Fatal(err)
	}
	if raw, err := base64.RawURLEncoding.DecodeString(tok.Value); err != nil || len(raw) != 32 || !tok.Created {
		t.Errorf("the new token %q (created %v) is not 32 random bytes in base64url: %v", tok.Value, tok.Created, err)
	}
	path := filepath.Join(dir, TokenFile)
	info, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if mode := info.Mode().Perm(); mode != 0o600 {
		t.Errorf("%s has mode %v, want 0600: the token is a password", TokenFile, mode)
	}
	if saved, _ := os.ReadFile(path); strings.TrimSpace(string(saved)) != tok.Value {
		t.Errorf("%s holds %q, want the token", TokenFile, saved)
	}
	for _, want := range []string{tok.Value, path, "Authorization: Bearer", "http://127.0.0.1:8080/v1/deployment", TokenEnv} {
		if !strings.Contains(first.String(), want) {
			t.Errorf("the announcement does not say %q:\n%s", want, first.String())
		}
	}

	// The next start reads it, and prints nothing.
	var second bytes.Buffer
	again, err := LoadToken(db, "", "http://127.0.0.1:8080", &second)
	if err != nil {
		t.Fatal(err)
	}
	if again.Value != tok.Value || again.Created || again.Source != path {
		t.Errorf("the second start's token: %+v; want the saved one, from %s", again, path)
	}
	if second.Len() != 0 {
		t.Errorf("the second start printed:\n%s", second.String())
	}
}

func TestTokenFromTheEnvironmentWins(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, TokenFile), []byte("from-the-file\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	tok, err := LoadToken(filepath.Join(dir, "journey.db"), " from-the-environment\n", "http://x", &out)
	if err != nil || tok.Value != "from-the-environment" || tok.Source != TokenEnv || out.Len() != 0 {
		t.Errorf("LoadToken = %+v, %v (printed %q); want JOURNEY_TOKEN's value, printed nowhere", tok, err, out.String())
	}
}

func TestEmptyTokenFileIsRefused(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, TokenFile), []byte("\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	_, err := LoadToken(filepath.Join(dir, "journey.db"), "", "http://x", &bytes.Buffer{})
	if err == nil || !strings.Contains(err.Error(), "is empty") || !strings.Contains(err.Error(), TokenEnv) {
		t.Errorf("an empty token file: %v; want an error saying so and naming %s", err, TokenEnv)
	}
}
