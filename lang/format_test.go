package lang

import (
	"bytes"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
)

func TestFormatLayout(t *testing.T) {
	cases := []struct {
		name, in, want string
	}{
		{
			name: "indentation, spaces and aligned equals",
			in: `campaign "c" {
trigger "new" {
on=tag_added(tag.lead)
        next   =   send_email.welcome
}
send_email   "welcome"{
email=email.welcome
}
}
`,
			want: `campaign "c" {
  trigger "new" {
    on   = tag_added(tag.lead)
    next = send_email.welcome
  }
  send_email "welcome" {
    email = email.welcome
  }
}
`,
		},
		{
			name: "objects, lists and comments",
			in: `email "welcome" {
subject="Hi ${contact.first_name}" # the subject
body="..."    // the body
headers={a="1",bb="2"}
  days=[1,2,  3]
}
`,
			want: `email "welcome" {
  subject = "Hi ${contact.first_name}" # the subject
  body    = "..."                      // the body
  headers = { a = "1", bb = "2" }
  days    = [1, 2, 3]
}
`,
		},
		{
			name: "missing final newline is added",
			in:   `tag "lead" {}`,
			want: "tag \"lead\" {}\n",
		},
		{
			name: "trailing blank lines and spaces are dropped",
			in:   "tag \"lead\" {}\n\n\n   \n\t\n",
			want: "tag \"lead\" {}\n",
		},
		{
			name: "a final comment without newline",
			in:   "tag \"lead\" {}\n# the end",
			want: "tag \"lead\" {}\n# the end\n",
		},
		{
			name: "empty file stays empty",
			in:   "",
			want: "",
		},
		{
			name: "blank file becomes empty",
			in:   "\n\n  \n",
			want: "",
		},
		{
			name: "heredoc content is untouched",
			in: `email "e" {
body=<<-EOT
      Hi ${contact.first_name},
        indented   text   stays
    EOT
  subject    = "x"
}
`,
			want: `email "e" {
  body    = <<-EOT
      Hi ${contact.first_name},
        indented   text   stays
    EOT
  subject = "x"
}
`,
		},
		{
			name: "spaces inside strings are untouched",
			in:   "email \"e\" {\nsubject=\"a   b ${ contact.first_name }  c\"\n}\n",
			want: "email \"e\" {\n  subject = \"a   b ${contact.first_name}  c\"\n}\n",
		},
		{
			name: "CRLF line endings are kept",
			in:   "tag \"lead\" {}\r\nemail \"e\" {\r\nsubject=\"x\"\r\n}",
			want: "tag \"lead\" {}\r\nemail \"e\" {\r\n  subject = \"x\"\r\n}\r\n",
		},
		{
			name: "blank lines between blocks are kept",
			in:   "tag \"a\" {}\n\n\ntag \"b\" {}\n",
			want: "tag \"a\" {}\n\n\ntag \"b\" {}\n",
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got, diags := Format([]byte(tc.in), "main.journey.hcl")
			if diags.HasErrors() {
				t.Fatalf("diagnostics: %v", diags)
			}
			if string(got) != tc.want {
				t.Fatalf("got:\n%s\nwant:\n%s", got, tc.want)
			}
			again, diags := Format(got, "main.journey.hcl")
			if diags.HasErrors() || !bytes.Equal(again, got) {
				t.Fatalf("not idempotent: %v\n%s", diags, again)
			}
		})
	}
}

func TestFormatRefusesSyntaxErrors(t *testing.T) {
	cases := []struct {
		name, in string
		line     int
		contains string
	}{
		{"unclosed block", "tag \"a\" {}\ncampaign \"c\" {\n  trigger \"t\" {\n", 3, ""},
		{"two arguments on a line", "email \"e\" {\n  subject = \"a\" body = \"b\"\n}\n", 2, ""},
		{"unterminated string", "email \"e\" {\n  subject = \"a\n}\n", 2, ""},
		{"NUL byte", "tag \"a\" {}\ntag \"b\x00\" {}\n", 2, "NUL byte at line 2, column 7"},
		{"invalid UTF-8", "tag \"a\" {}\n\ntag \"\xff\" {}\n", 3, "not valid UTF-8 at line 3, column 6"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			out, diags := Format([]byte(tc.in), "bad.journey.hcl")
			if out != nil {
				t.Fatalf("got output for a file that does not parse:\n%s", out)
			}
			if !diags.HasErrors() {
				t.Fatal("no error diagnostics")
			}
			d := diags[0]
			if d.Subject == nil || d.Subject.Filename != "bad.journey.hcl" {
				t.Fatalf("diagnostic without the file: %+v", d)
			}
			if d.Subject.Start.Line != tc.line {
				t.Errorf("line %d, want %d (%s: %s)", d.Subject.Start.Line, tc.line, d.Summary, d.Detail)
			}
			if RuleOf(d) != RuleSyntax {
				t.Errorf("rule %q, want %q", RuleOf(d), RuleSyntax)
			}
			if tc.contains != "" && !strings.Contains(d.Summary, tc.contains) {
				t.Errorf("summary %q does not contain %q", d.Summary, tc.contains)
			}
		})
	}
}

func TestSameTokensCatchesChanges(t *testing.T) {
	src := []byte("email \"e\" {\n  subject = \"a b\"\n}\n")
	if d := sameTokens(src, []byte("email  \"e\"{\nsubject=\"a b\"\n}\n"), "f"); d != nil {
		t.Fatalf("whitespace-only change refused: %s", d.Summary)
	}
	for _, changed := range []string{
		"email \"e\" {\n  subject = \"a  b\"\n}\n",   // inside a string
		"email \"e\" {\n  subject = \"a b\" }\n",     // a line break removed
		"email \"e\" {\n  subject = \"a b\"\n}\n}\n", // a token added
		"email \"e\" {\n  subject = \"a b\"\n",       // a token removed
	} {
		d := sameTokens(src, []byte(changed), "f")
		if d == nil {
			t.Errorf("change not caught: %q", changed)
			continue
		}
		if RuleOf(d) != RuleFormatBug || d.Subject == nil {
			t.Errorf("bad diagnostic for %q: %+v", changed, d)
		}
	}
}

// TestFormatIdempotentOnConformanceAndExamples formats every HCL campaign
// file of the conformance cases and of examples/: the result must parse,
// keep every token, and be a fixed point of Format.
func TestFormatIdempotentOnConformanceAndExamples(t *testing.T) {
	root := os.Getenv("JOURNEY_CONFORMANCE_DIR")
	if root == "" {
		root = filepath.Join("..", "..", "shared", "conformance")
	}
	dirs := []string{filepath.Join(root, "validate")}
	if _, err := os.Stat(dirs[0]); err != nil {
		t.Fatalf("conformance cases not found at %s (set JOURNEY_CONFORMANCE_DIR): %v", dirs[0], err)
	}
	if _, err := os.Stat(filepath.Join("..", "examples")); err == nil {
		dirs = append(dirs, filepath.Join("..", "examples"))
	}
	n := 0
	for _, dir := range dirs {
		err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			if d.IsDir() || !strings.HasSuffix(p, SuffixHCL) {
				return nil
			}
			n++
			src, err := os.ReadFile(p)
			if err != nil {
				return err
			}
			once, diags := Format(src, p)
			if diags.HasErrors() {
				// A case about syntax errors: Format must refuse it the
				// way the parser does.
				if _, pd := hclsyntax.ParseConfig(src, p, hcl.InitialPos); !pd.HasErrors() {
					t.Errorf("%s: refused a file that parses: %v", p, diags)
				}
				return nil
			}
			if _, pd := hclsyntax.ParseConfig(once, p, hcl.InitialPos); pd.HasErrors() {
				t.Errorf("%s: formatted output does not parse: %v", p, pd)
			}
			twice, diags := Format(once, p)
			if diags.HasErrors() || !bytes.Equal(once, twice) {
				t.Errorf("%s: not idempotent (%v):\nonce:\n%s\ntwice:\n%s", p, diags, once, twice)
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	if n == 0 {
		t.Fatal("no *.journey.hcl files found")
	}
	t.Logf("%d files formatted twice", n)
}
