package delivery_test

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/journeyhq/journey/runtime/delivery"
)

// verify is docs/deliveries.md's standard-library verifier, as printed
// there: a receiver that copies it must accept what journey signs.
func verify(secret, header string, body []byte, now time.Time) bool {
	var t string
	var sigs []string
	for _, field := range strings.Split(header, ",") {
		k, v, _ := strings.Cut(field, "=")
		switch k {
		case "t":
			t = v
		case "v1":
			sigs = append(sigs, v)
		}
	}
	unix, err := strconv.ParseInt(t, 10, 64)
	if err != nil || now.Sub(time.Unix(unix, 0)).Abs() > 5*time.Minute {
		return false
	}
	mac := hmac.New(sha256.New, []byte(secret))
	mac.Write([]byte(t + "."))
	mac.Write(body)
	want := mac.Sum(nil)
	for _, sig := range sigs {
		got, err := hex.DecodeString(sig)
		if err == nil && hmac.Equal(got, want) {
			return true
		}
	}
	return false
}

func TestTheDocsVerifierAcceptsWhatJourneySigns(t *testing.T) {
	now := time.Unix(1700000000, 0)
	body := []byte(`{"contact":42}`)
	header := delivery.Sign(testSecret, now, body)
	if !verify(testSecret, header, body, now.Add(time.Minute)) {
		t.Errorf("the docs' verifier refuses %s", header)
	}
	if verify(testSecret, header, []byte(`{"contact":43}`), now) || verify(testSecret, header, body, now.Add(time.Hour)) {
		t.Error("the docs' verifier accepts a changed body or an old call")
	}
}

// TestDocsShowTheTestedCode keeps docs/deliveries.md to the code above
// and to the signature openssl computes.
func TestDocsShowTheTestedCode(t *testing.T) {
	doc, err := os.ReadFile(filepath.Join("..", "..", "docs", "deliveries.md"))
	if err != nil {
		t.Fatal(err)
	}
	self, err := os.ReadFile("verify_doc_test.go")
	if err != nil {
		t.Fatal(err)
	}
	start := strings.Index(string(doc), "```go\nfunc verify(")
	if start < 0 {
		t.Fatal("docs/deliveries.md has no ```go block with func verify")
	}
	block := string(doc)[start+len("```go\n"):]
	block = block[:strings.Index(block, "```")]
	if !strings.Contains(string(self), block) {
		t.Errorf("docs/deliveries.md's verify is not the one tested here:\n%s", block)
	}
	for _, want := range []string{"v1=" + openSSLVector, testSecret, "`{\"id\":1}`"} {
		if !strings.Contains(string(doc), want) {
			t.Errorf("docs/deliveries.md does not show %s", want)
		}
	}
}
