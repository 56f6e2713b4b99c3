package main

import (
	"errors"
	"io/fs"
	"strings"
	"testing"
	"testing/fstest"
)

// unreadableFS refuses to list one directory, as a directory without read
// permission does.
type unreadableFS struct {
	fstest.MapFS
	dir string
}

func (u unreadableFS) ReadDir(name string) ([]fs.DirEntry, error) {
	if name == u.dir {
		return nil, &fs.PathError{Op: "open", Path: name, Err: fs.ErrPermission}
	}
	return u.MapFS.ReadDir(name)
}

// --recursive that cannot read a directory says which and fails: the
// directory may hold campaigns, and skipping it would report a tree that
// was not read as clean.
func TestFindWorkspacesRefusesAnUnreadableDirectory(t *testing.T) {
	tree := fstest.MapFS{
		"us/main.journey.hcl":        {Data: []byte("tag \"x\" {}\n")},
		"eu/main.journey.hcl":        {Data: []byte("tag \"x\" {}\n")},
		"eu/locked/main.journey.hcl": {Data: []byte("tag \"x\" {}\n")},
		".git/config":                {Data: []byte("")},
	}
	for _, locked := range []string{"eu/locked", "eu", "."} {
		_, err := findWorkspaces(unreadableFS{tree, locked}, "campaigns", true)
		var ee *exitError
		if !errors.As(err, &ee) || ee.code != exitUsage {
			t.Fatalf("%s unreadable: err %v, want a usage error", locked, err)
		}
		want := "cannot read campaigns/" + locked + ": permission denied"
		if locked == "." {
			want = "cannot read campaigns: permission denied"
		}
		if !strings.Contains(err.Error(), want) || !strings.Contains(err.Error(), "--recursive reads every directory below campaigns") {
			t.Errorf("%s unreadable: %q, want it to say %q and what --recursive needs", locked, err, want)
		}
	}
	_, err := findWorkspaces(unreadableFS{tree, "."}, "campaigns", false)
	if err == nil || !strings.Contains(err.Error(), "cannot list campaigns: permission denied") {
		t.Errorf("an unreadable DIR without --recursive: %v, want it named", err)
	}
	dirs, err := findWorkspaces(unreadableFS{tree, ".git"}, "campaigns", true)
	if err != nil || strings.Join(dirs, " ") != "eu eu/locked us" {
		t.Errorf("a hidden directory is skipped unread: got %v, %v", dirs, err)
	}
}
