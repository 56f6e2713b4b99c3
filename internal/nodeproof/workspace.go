package nodeproof

import (
	"bufio"
	"fmt"
	"os"
	"path/filepath"
	"time"
)

// The proof's campaign: a contact tagged "go" waits until one minute, then
// gets a marketing email (sent at most once) and ends. Every contact's wait
// falls due in that same minute, so every node has due steps at once.
const (
	campaignName = "proof"
	waitName     = "due_minute"
	emailName    = "news"
	triggerTag   = "go"
)

// Workspace is the proof's workspace, its wait due at due (a whole minute,
// UTC: journey counts time to the minute). internal/pgsteps measures the
// engine on it too.
func Workspace(due time.Time) string {
	return fmt.Sprintf(`# The three-node proof's campaign (internal/nodeproof): every contact
# waits until the same minute, then gets one marketing email.
account {
  time_zone         = "UTC"
  default_send_time = "09:00"
  senders           = ["Acme <news@acme.example>"]
}

tag %[4]q {}

email %[3]q {
  subject = "Acme news for ${contact.first_name}"
  body    = "Hi ${contact.first_name}, here is what is new at Acme this month."
}

campaign %[1]q {
  trigger "tagged" {
    on   = tag_added(tag.%[4]s)
    next = wait.%[2]s
  }
  wait %[2]q {
    until = %[5]q
    next  = send_email.%[3]s
  }
  send_email %[3]q {
    email = email.%[3]s
    next  = end.done
  }
  end "done" {}
}
`, campaignName, waitName, emailName, triggerTag, due.UTC().Format("2006-01-02T15:04"))
}

// writeWorkspace writes the workspace into dir/workspace and returns that
// directory.
func writeWorkspace(dir string, due time.Time) (string, error) {
	ws := filepath.Join(dir, "workspace")
	if err := os.MkdirAll(ws, 0o755); err != nil {
		return "", err
	}
	return ws, os.WriteFile(filepath.Join(ws, "proof.journey.hcl"), []byte(Workspace(due)), 0o644)
}

// contactEmail is contact i's address: the outbox and the sink are matched
// by it.
func contactEmail(i int) string { return fmt.Sprintf("c%07d@example.com", i) }

// writeContacts writes the contacts as parts CSV files, contact i in part
// i %% parts (each node imports one), and returns their paths.
func writeContacts(dir string, contacts, parts int) ([]string, error) {
	paths := make([]string, parts)
	for p := range parts {
		paths[p] = filepath.Join(dir, fmt.Sprintf("contacts-%d.csv", p+1))
		f, err := os.Create(paths[p])
		if err != nil {
			return nil, err
		}
		w := bufio.NewWriter(f)
		fmt.Fprintln(w, "email,first_name,tags")
		for i := p; i < contacts; i += parts {
			fmt.Fprintf(w, "%s,Contact%d,%s\n", contactEmail(i), i, triggerTag)
		}
		err = w.Flush()
		if cerr := f.Close(); err == nil {
			err = cerr
		}
		if err != nil {
			return nil, err
		}
	}
	return paths, nil
}
