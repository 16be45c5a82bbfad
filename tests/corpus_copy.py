#!/usr/bin/env python3
"""corpus_copy.py — a writable copy of a spec repository, with its links.

    python3 tests/corpus_copy.py SRC DEST

The corpora in ../shared were checked out without symbolic links (git's
core.symlinks=false): each link is a small file holding its target, with
no newline. sphinx-build needs the links themselves, so the tests and the
benchmarks build Sphinx's side from such a copy: every file that holds
one relative path and nothing else becomes a symbolic link to it, dangling
or not (ironic-specs has a dangling one, as upstream). Everything else is
copied as it is. DEST must not exist.
"""
import os
import shutil
import sys


def link_target(path):
    """The target a link file holds, or None for an ordinary file."""
    if os.path.getsize(path) == 0 or os.path.getsize(path) > 1024:
        return None
    with open(path, 'rb') as f:
        data = f.read()
    if b'\n' in data or b'\0' in data or b' ' in data or data.startswith(b'/'):
        return None
    try:
        text = data.decode('utf-8')
    except UnicodeDecodeError:
        return None
    # A link names a path: a folder step or a file with an extension.
    if '/' not in text and '.' not in text:
        return None
    return text


def main():
    if len(sys.argv) != 3:
        sys.exit('usage: corpus_copy.py SRC DEST')
    src, dest = sys.argv[1], sys.argv[2]
    for root, dirs, files in os.walk(src):
        rel = os.path.relpath(root, src)
        out = os.path.normpath(os.path.join(dest, rel))
        os.makedirs(out, exist_ok=rel != '.')
        for name in files:
            path = os.path.join(root, name)
            target = link_target(path)
            if target is not None:
                os.symlink(target, os.path.join(out, name))
            else:
                shutil.copyfile(path, os.path.join(out, name))
        dirs.sort()


if __name__ == '__main__':
    main()
