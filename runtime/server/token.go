package server

import (
	"crypto/rand"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/journeyhq/journey/internal/atomicfile"
)

// TokenEnv is the environment variable that sets the API's token.
const TokenEnv = "JOURNEY_TOKEN"

// TokenFile is the file beside the database that keeps the token made on
// the first start.
const TokenFile = "journey.token"

// tokenBytes is the randomness of a token made by the server: 256 bits.
const tokenBytes = 32

// minTokenLength is the shortest token the server takes without a
// warning: 16 characters of base64 are 96 bits.
const minTokenLength = 16

// Token is the API's bearer token and where it came from, for the log.
type Token struct {
	Value string
	// Source is "JOURNEY_TOKEN", or the token file's path.
	Source string
	// Created is true when this start made the token.
	Created bool
}

// LoadToken finds the API's token: JOURNEY_TOKEN when set (envToken);
// else the token file beside the database; else a new random one, saved
// there (mode 0600) and printed once to announce, with how to use it on
// the API at baseURL.
func LoadToken(dbPath, envToken, baseURL string, announce io.Writer) (Token, error) {
	if t := strings.TrimSpace(envToken); t != "" {
		return Token{Value: t, Source: TokenEnv}, nil
	}
	path := filepath.Join(filepath.Dir(dbPath), TokenFile)
	data, err := os.ReadFile(path)
	switch {
	case err == nil:
		t := strings.TrimSpace(string(data))
		if t == "" {
			return Token{}, fmt.Errorf("%s is empty: delete it to have the server make a new token, write a token in it, or set %s", path, TokenEnv)
		}
		return Token{Value: t, Source: path}, nil
	case !errors.Is(err, fs.ErrNotExist):
		return Token{}, fmt.Errorf("cannot read the API token from %s: %v; fix its permissions, or set %s", path, unwrapPathError(err), TokenEnv)
	}
	random := make([]byte, tokenBytes)
	if _, err := rand.Read(random); err != nil {
		return Token{}, fmt.Errorf("cannot make an API token: %w", err)
	}
	t := base64.RawURLEncoding.EncodeToString(random)
	if err := atomicfile.WriteFile(path, []byte(t+"\n"), 0o600); err != nil {
		return Token{}, fmt.Errorf("cannot write the new API token to %s: %v; make its directory writable, or set %s", path, err, TokenEnv)
	}
	fmt.Fprintf(announce, `journey server made an API token and saved it in %s (readable by you alone):

    %s

Send it with every request, e.g.
    curl -H "Authorization: Bearer $(cat %s)" %s/v1/deployment
It is not printed again: read it from that file, or set %s to choose your own.

`, path, t, path, baseURL, TokenEnv)
	return Token{Value: t, Source: path, Created: true}, nil
}
