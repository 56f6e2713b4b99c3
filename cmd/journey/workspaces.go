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
	fsys := os.DirFS(root)
	if !recursive {
		names, err := lang.CampaignFiles(fsys, ".")
		if err != nil {
			return nil, usage("cannot list %s: %v", root, err)
		}
		if len(names) == 0 {
			return nil, usage("no *%s or *%s files in %s (use --recursive to search the directories below it)", lang.SuffixHCL, lang.SuffixJSON, root)
		}
		return []string{"."}, nil
	}
	var dirs []string
	err = fs.WalkDir(fsys, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return nil // an unreadable directory is skipped, not fatal
		}
		if !d.IsDir() {
			return nil
		}
		if p != "." && strings.HasPrefix(d.Name(), ".") {
			return fs.SkipDir
		}
		if names, _ := lang.CampaignFiles(fsys, p); len(names) > 0 {
			dirs = append(dirs, p)
		}
		return nil
	})
	if err != nil {
		return nil, usage("cannot walk %s: %v", root, err)
	}
	if len(dirs) == 0 {
		return nil, usage("no *%s or *%s files in %s or below it", lang.SuffixHCL, lang.SuffixJSON, root)
	}
	return dirs, nil
}
