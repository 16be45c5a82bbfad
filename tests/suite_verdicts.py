#!/usr/bin/env python3
"""suite_verdicts.py — the files a spec repository's own checks flag.

    python3 suite_verdicts.py tests REPO          # its tests/test_*.py
    python3 suite_verdicts.py doc8 REPO ARGS...   # doc8 ARGS, run in REPO

Prints the flagged files, one per line, relative to REPO, sorted; on
stderr, the time the checks took. tests/check.sh compares them with the
files `specsite check` flags.

The suites (fuel-specs', nova-specs' and ironic-specs' test_titles.py)
check every spec in one test method and stop at the first failing file,
so a plain run tells only that some file fails. Here each test method
is run once per file it reads: glob.glob, through which the suites list
their specs, is made to return that one file. The suite's own code does
all the checking; only the file list is narrowed.
"""
import glob
import importlib.util
import io
import os
import subprocess
import sys
import time
import unittest
import contextlib


def suite_files(repo):
    os.chdir(repo)
    sys.path.insert(0, 'tests')
    real_glob = glob.glob
    flagged = set()
    for mod_path in sorted(real_glob('tests/test_*.py')):
        name = os.path.basename(mod_path)[:-3]
        spec = importlib.util.spec_from_file_location(name, mod_path)
        mod = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(mod)
        for cls in vars(mod).values():
            if not (isinstance(cls, type) and
                    issubclass(cls, unittest.TestCase)):
                continue
            for test in unittest.TestLoader().getTestCaseNames(cls):
                patterns = []

                def recording(pattern, *a, **k):
                    patterns.append(pattern)
                    return real_glob(pattern, *a, **k)

                def run(fake):
                    glob.glob = fake
                    result = unittest.TestResult()
                    # Docutils prints the specs' problems: not ours
                    with contextlib.redirect_stderr(io.StringIO()):
                        try:
                            cls(test).run(result)
                        finally:
                            glob.glob = real_glob
                    return result

                run(recording)
                files = sorted({f for p in patterns for f in real_glob(p)})
                for f in files:
                    r = run(lambda p, *a, _f=f, **k:
                            [x for x in real_glob(p, *a, **k) if x == _f])
                    if r.failures or r.errors:
                        flagged.add(f)
    return flagged


def doc8_files(repo, args):
    out = subprocess.run(['/usr/bin/doc8'] + args, cwd=repo,
                         capture_output=True, text=True).stdout
    flagged = set()
    for line in out.splitlines():
        parts = line.split(': ', 1)
        if len(parts) == 2 and parts[1][:1] == 'D' and ':' in parts[0]:
            flagged.add(os.path.normpath(parts[0].rsplit(':', 1)[0]))
    return flagged


def main():
    if len(sys.argv) < 3 or sys.argv[1] not in ('tests', 'doc8'):
        sys.exit(__doc__)
    start = time.monotonic()
    if sys.argv[1] == 'tests':
        flagged = suite_files(sys.argv[2])
    else:
        flagged = doc8_files(sys.argv[2], sys.argv[3:])
    sys.stderr.write('%s: %.0f ms\n' % (sys.argv[1],
                                       (time.monotonic() - start) * 1000))
    for f in sorted(flagged):
        print(f)


if __name__ == '__main__':
    main()
