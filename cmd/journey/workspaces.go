package main

import (
	"errors"
	"io/fs"
	"os"
	"path"
	"strings"

	"github.com/journeyhq/journey/lang"
)

// workspaceDirs returns the workspaces to read under root, as paths
// relative to it: "." alone, or with recursive every directory below root
// that holds campaign files (hidden directories skipped, symlinks not
// followed).
func workspaceDirs(root string, recursive bool) ([]string, error) {
	info, err := os.Stat(root)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return nil, usage("%s does not exist: give the directory that holds the campaign files", root)
	case err != nil:
		return nil, usage("cannot read %s: %v", root, err)
	case !info.IsDir():
		return nil, usage("%s is a file: journey reads a directory (a workspace); run it on %s", root, path.Dir(root))
	}
	return findWorkspaces(os.DirFS(root), root, recursive)
}

// findWorkspaces is workspaceDirs on fsys, the file system of the
// directory root names in messages.
func findWorkspaces(fsys fs.FS, root string, recursive bool) ([]string, error) {
	if !recursive {
		names, err := lang.CampaignFiles(fsys, ".")
		if err != nil {
			return nil, usage("cannot list %s", unreadable(root, err))
		}
		if len(names) == 0 {
			return nil, usage("no *%s or *%s files in %s (use --recursive to search the directories below it)", lang.SuffixHCL, lang.SuffixJSON, root)
		}
		return []string{"."}, nil
	}
	var dirs []string
	err := fs.WalkDir(fsys, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			// A directory that cannot be read may hold campaigns: going on
			// without it would report a tree that was not read as clean.
			return err
		}
		if !d.IsDir() {
			return nil
		}
		if p != "." && strings.HasPrefix(d.Name(), ".") {
			return fs.SkipDir
		}
		names, err := lang.CampaignFiles(fsys, p)
		if err != nil {
			return err
		}
		if len(names) > 0 {
			dirs = append(dirs, p)
		}
		return nil
	})
	if err != nil {
		return nil, usage("cannot read %s; --recursive reads every directory below %s: make that one readable or move it out, or run journey on each workspace", unreadable(root, err), root)
	}
	if len(dirs) == 0 {
		return nil, usage("no *%s or *%s files in %s or below it", lang.SuffixHCL, lang.SuffixJSON, root)
	}
	return dirs, nil
}

// unreadable names the directory of a walk's error from root, with why.
func unreadable(root string, err error) string {
	var pe *fs.PathError
	if !errors.As(err, &pe) {
		return root + ": " + err.Error()
	}
	return path.Join(root, pe.Path) + ": " + pe.Err.Error()
}
