// Package atomicfile writes whole files: a reader, a crash or a full disk
// never leaves half a file behind. It is the one way journey writes its
// outputs (a compiled plan, a saved plan file, a formatted campaign file).
//
// A regular file is replaced: the data goes to a temporary file in the same
// directory, which is synced and renamed over the file, and the directory is
// synced so that the rename survives a crash. What is not a regular file is
// written through, never replaced: a symlink's target is written (the link
// stays a link), and a character or block device or a named pipe is opened
// and written as a shell's > would, so that "-o /dev/null" discards the
// output instead of replacing /dev/null with a file.
//
// github.com/google/renameio was considered: it replaces the path it is
// given (a symlink, a device) and does not sync the directory, so what it
// would save is a dozen lines of temporary-file naming.
//
// Errors do not repeat the file's name: callers say "cannot write NAME: ...".
package atomicfile

import (
	"errors"
	"fmt"
	"io/fs"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strconv"
)

// ErrChanged is returned, and nothing written, when the file is no longer
// the one IfUnchanged was given.
var ErrChanged = errors.New("it changed since it was read")

// maxLinks bounds the symlinks followed, as the kernel's ELOOP does.
const maxLinks = 40

// keptMode is what a replaced file keeps of its mode.
const keptMode = fs.ModePerm | fs.ModeSetuid | fs.ModeSetgid | fs.ModeSticky

// Option changes how WriteFile writes.
type Option func(*options)

type options struct {
	unchanged fs.FileInfo
}

// IfUnchanged refuses the write with ErrChanged when the file (the target
// of a symlink) is no longer the one read was taken from, as os.Stat
// reported it: another file, or another size or modification time. A
// formatter uses it so that a file an editor saved meanwhile is not
// overwritten with what was formatted from the older content.
func IfUnchanged(read fs.FileInfo) Option {
	return func(o *options) { o.unchanged = read }
}

// WriteFile writes data to name. An existing regular file is replaced
// atomically and keeps its permissions; a new file gets perm (less the
// umask, as os.WriteFile does); a symlink's target is written; a device or
// named pipe is written through (opening a pipe waits for its reader). An
// existing file that the caller may not write is refused, as the shell
// would refuse it, even when its directory would allow the rename.
func WriteFile(name string, data []byte, perm fs.FileMode, opts ...Option) error {
	var o options
	for _, opt := range opts {
		opt(&o)
	}
	target, info, err := resolve(name)
	if err != nil {
		return err
	}
	switch {
	case info == nil:
		if o.unchanged != nil {
			return ErrChanged
		}
		return replace(target, data, perm, nil, o)
	case info.Mode().IsRegular():
		return replace(target, data, info.Mode()&keptMode, info, o)
	case info.IsDir():
		return errors.New("it is a directory")
	case writesThrough(info.Mode()):
		return writeThrough(target, data, o)
	}
	return fmt.Errorf("it is not a file, a device or a named pipe (%v)", info.Mode().Type())
}

// writesThrough reports whether a file of this mode is written in place
// rather than replaced: devices and named pipes, whose identity is the
// point of naming them.
func writesThrough(m fs.FileMode) bool {
	return m&(fs.ModeDevice|fs.ModeCharDevice|fs.ModeNamedPipe) != 0
}

// resolve follows name's symlinks to the file to write, returning its Lstat
// (nil when it does not exist: a new file, possibly a symlink's missing
// target). The directory is resolved first at each step, so that a
// relative link ("../x") is read from where the link really is.
func resolve(name string) (string, fs.FileInfo, error) {
	for range maxLinks {
		info, err := os.Lstat(name)
		switch {
		case errors.Is(err, fs.ErrNotExist):
			return name, nil, nil
		case err != nil:
			return "", nil, unwrapPath(err)
		case info.Mode()&fs.ModeSymlink == 0:
			return name, info, nil
		}
		link, err := os.Readlink(name)
		if err != nil {
			return "", nil, unwrapPath(err)
		}
		if !filepath.IsAbs(link) {
			dir, err := filepath.EvalSymlinks(filepath.Dir(name))
			if err != nil {
				return "", nil, unwrapPath(err)
			}
			link = filepath.Join(dir, link)
		}
		name = link
	}
	return "", nil, errors.New("too many levels of symbolic links")
}

// replace writes data to a temporary file beside target and renames it
// over target. existing is target's Lstat, nil for a new file.
func replace(target string, data []byte, mode fs.FileMode, existing fs.FileInfo, o options) (err error) {
	dir := filepath.Dir(target)
	if existing != nil {
		// Only a probe: without O_TRUNC, opening changes nothing.
		f, err := os.OpenFile(target, os.O_WRONLY, 0)
		if err != nil {
			return fmt.Errorf("it is not writable: %v", unwrapPath(err))
		}
		f.Close()
	}
	tmp, err := createTemp(dir, filepath.Base(target), mode)
	if err != nil {
		return fmt.Errorf("cannot create a temporary file in %s: %v", dir, unwrapPath(err))
	}
	defer func() {
		if err != nil {
			tmp.Close()
			os.Remove(tmp.Name())
		}
	}()
	if _, err = tmp.Write(data); err != nil {
		return fmt.Errorf("cannot write a temporary file in %s: %v", dir, unwrapPath(err))
	}
	if existing != nil {
		// The umask applied at creation; the file being replaced did not
		// ask for it.
		if err = tmp.Chmod(mode); err != nil {
			return fmt.Errorf("cannot set the permissions of a temporary file in %s: %v", dir, unwrapPath(err))
		}
	}
	if err = tmp.Sync(); err != nil {
		return fmt.Errorf("cannot sync a temporary file in %s: %v", dir, unwrapPath(err))
	}
	if err = tmp.Close(); err != nil {
		return fmt.Errorf("cannot write a temporary file in %s: %v", dir, unwrapPath(err))
	}
	if err = checkUnchanged(target, o); err != nil {
		return err
	}
	if err = os.Rename(tmp.Name(), target); err != nil {
		return fmt.Errorf("cannot replace it: %v", unwrapPath(err))
	}
	syncDir(dir)
	return nil
}

// createTemp creates a new file named after base in dir, with mode less
// the umask (os.CreateTemp would make it 0600 whatever was asked). The
// name starts with a dot, so that journey never reads it as a campaign
// file, and ends in .tmp, so that a person knows what it is.
func createTemp(dir, base string, mode fs.FileMode) (*os.File, error) {
	for range 10000 {
		name := filepath.Join(dir, "."+base+"."+strconv.FormatUint(rand.Uint64(), 36)+".tmp")
		f, err := os.OpenFile(name, os.O_RDWR|os.O_CREATE|os.O_EXCL, mode)
		if !errors.Is(err, fs.ErrExist) {
			return f, err
		}
	}
	return nil, errors.New("no unused temporary file name")
}

// syncDir makes a rename in dir durable where the system allows it. Its
// errors are not reported: the new content is in place and whole by then,
// and some file systems cannot sync a directory at all.
func syncDir(dir string) {
	if d, err := os.Open(dir); err == nil {
		d.Sync()
		d.Close()
	}
}

// writeThrough opens target, a device or a named pipe, and writes data to it.
func writeThrough(target string, data []byte, o options) error {
	if err := checkUnchanged(target, o); err != nil {
		return err
	}
	f, err := os.OpenFile(target, os.O_WRONLY, 0)
	if err != nil {
		return unwrapPath(err)
	}
	if _, err := f.Write(data); err != nil {
		f.Close()
		return unwrapPath(err)
	}
	return unwrapPath(f.Close())
}

func checkUnchanged(target string, o options) error {
	if o.unchanged == nil {
		return nil
	}
	now, err := os.Stat(target)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return ErrChanged
		}
		return unwrapPath(err)
	}
	read := o.unchanged
	if !os.SameFile(now, read) || now.Size() != read.Size() || !now.ModTime().Equal(read.ModTime()) {
		return ErrChanged
	}
	return nil
}

// unwrapPath drops the operation and path of a *fs.PathError or an
// *os.LinkError: the caller names the file.
func unwrapPath(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	var le *os.LinkError
	if errors.As(err, &le) {
		return le.Err
	}
	return err
}
