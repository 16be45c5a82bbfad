#!/usr/bin/env python3
"""check-vs-suites.py — `specsite check` on 1,000 specs against the suites.

    python3 bench/check-vs-suites.py [--specsite build/specsite]
        [--corpus ../shared/corpus] [--specs 1000] [--runs 20]
        [--suite-runs 3] [--instructions] [--keep]

Makes two repositories of 1,000 specs each in a temporary folder (TMPDIR
is respected), from copies of the corpora made with tests/corpus_copy.py
(real symlinks, as in a git checkout):

- ironic-style: ironic-specs, configured with docs/check.rst's "ironic"
  snippet. Its suite (tests/test_titles.py) reads specs/approved/* and
  specs/backlog/* only, so the copies go to specs/approved/ under new
  names (NAME-2.rst, ...), with the blueprint line rewritten to end in
  the new name, as the suite and F004 ask. Specs that fail the check are
  left out: the suite's test methods stop at the first failing file, and
  would then not read the other 999.
- cinder-style: cinder-specs, configured with the "cinder" snippet, its
  release folders copied as new release folders (specs/juno-2/, ...)
  until 1,000 files are checked; its suite is `doc8 --ignore D001
  specs/` (tox -e pep8).

Then, in one run, times `specsite check` in each (best and median of
--runs, after two warm-up runs) against the repository's own suite on
the same files (best and median of --suite-runs), and prints the ratio,
whether 1,000 specs take under 100 ms, and the peak memory of each
(/usr/bin/time, Debian's package `time`, when installed). With
--instructions, the instructions of one check (valgrind's callgrind),
which do not depend on the machine's load.

A benchmark, not a test: it exits 0 whenever it could measure, whatever
the figures. Use a Release build.
"""
import argparse
import os
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
SRC = os.path.dirname(HERE)
PYTHON = '/usr/bin/python3'  # Debian's, with python3-pytest/testtools


def conf(name):
    """The specsite.conf docs/check.rst gives after '.. conf: NAME'."""
    with open(os.path.join(SRC, 'docs', 'check.rst')) as f:
        lines = f.read().split('\n')
    i = lines.index('.. conf: ' + name)
    while lines[i] != '::':
        i += 1
    out = []
    for line in lines[i + 2:]:
        if line and not line.startswith('    '):
            break
        out.append(line[4:])
    return '\n'.join(out).strip() + '\n'


def copy_corpus(src, dest):
    subprocess.run([sys.executable, os.path.join(SRC, 'tests',
                                                 'corpus_copy.py'),
                    src, dest], check=True)


def run_check(specsite, repo):
    """The check's summary: (files checked, files with an error)."""
    p = subprocess.run([specsite, 'check'], cwd=repo, capture_output=True,
                       text=True)
    m = re.search(r'^check: (\d+) files?, \d+ errors? in (\d+) file',
                  p.stdout, re.M)
    if not m:
        sys.exit('check-vs-suites: no summary from specsite check in %s:\n%s'
                 % (repo, p.stdout[-2000:] + p.stderr[-2000:]))
    flagged = sorted({line.split(':', 1)[0] for line in p.stdout.splitlines()
                      if ': error: ' in line})
    return int(m.group(1)), int(m.group(2)), flagged


def make_ironic(corpus, dest, specsite, want):
    copy_corpus(os.path.join(corpus, 'ironic-specs'), dest)
    with open(os.path.join(dest, 'specsite.conf'), 'w') as f:
        f.write(conf('ironic'))
    _, _, flagged = run_check(specsite, dest)
    for path in flagged:  # see the docstring: the suite would stop there
        os.remove(os.path.join(dest, path))
    approved = os.path.join(dest, 'specs', 'approved')
    backlog = os.path.join(dest, 'specs', 'backlog')
    originals = sorted(n for n in os.listdir(approved) if n.endswith('.rst'))
    have = len(originals) + len(os.listdir(backlog))
    k = 2
    while have < want:
        for name in originals:
            if have >= want:
                break
            root = name[:-4]
            new = '%s-%d' % (root, k)
            with open(os.path.join(approved, name), newline='') as f:
                text = f.read()
            # the blueprint line ends in the file's name (suite and F004)
            text = re.sub(r'(?m)(\+spec/%s)$' % re.escape(root),
                          r'\g<1>-%d' % k, text)
            with open(os.path.join(approved, new + '.rst'), 'w',
                      newline='') as f:
                f.write(text)
            have += 1
        k += 1
    return len(flagged)


def make_cinder(corpus, dest, specsite, want):
    copy_corpus(os.path.join(corpus, 'cinder-specs'), dest)
    with open(os.path.join(dest, 'specsite.conf'), 'w') as f:
        f.write(conf('cinder'))
    specs = os.path.join(dest, 'specs')
    releases = sorted(n for n in os.listdir(specs)
                      if os.path.isdir(os.path.join(specs, n)))
    have, _, _ = run_check(specsite, dest)
    k = 2
    last = None
    while have < want:
        for rel in releases:
            if have >= want:
                break
            last = os.path.join(specs, '%s-%d' % (rel, k))
            shutil.copytree(os.path.join(specs, rel), last, symlinks=True)
            have += sum(1 for r, _, fs in os.walk(last) for n in fs
                        if n.endswith(('.rst', '.txt')) and n[0] != '.')
        k += 1
    # the last folder copied in part, so that exactly `want` are checked
    extra = sorted((os.path.join(r, n) for r, _, fs in os.walk(last or specs)
                    for n in fs if n.endswith(('.rst', '.txt'))
                    and n[0] != '.'), reverse=True)
    for path in extra[:max(0, have - want)]:
        os.remove(path)


def timed(cmd, cwd, runs, warmup):
    """Wall and CPU (user + system) seconds of each run, and the status."""
    rc = 0
    for _ in range(warmup):
        subprocess.run(cmd, cwd=cwd, stdout=subprocess.DEVNULL,
                       stderr=subprocess.DEVNULL)
    wall, cpu = [], []
    for _ in range(runs):
        r0 = resource.getrusage(resource.RUSAGE_CHILDREN)
        t0 = time.perf_counter()
        p = subprocess.run(cmd, cwd=cwd, stdout=subprocess.DEVNULL,
                           stderr=subprocess.DEVNULL)
        t1 = time.perf_counter()
        r1 = resource.getrusage(resource.RUSAGE_CHILDREN)
        wall.append(t1 - t0)
        cpu.append(r1.ru_utime - r0.ru_utime + r1.ru_stime - r0.ru_stime)
        rc = p.returncode
    return wall, cpu, rc


def peak_memory(cmd, cwd):
    """Maximum resident set size in MB (/usr/bin/time -v), or None."""
    if not os.access('/usr/bin/time', os.X_OK):
        return None
    with tempfile.NamedTemporaryFile('r') as out:
        subprocess.run(['/usr/bin/time', '-v', '-o', out.name] + cmd,
                       cwd=cwd, stdout=subprocess.DEVNULL,
                       stderr=subprocess.DEVNULL)
        m = re.search(r'Maximum resident set size \(kbytes\): (\d+)',
                      out.read())
    return int(m.group(1)) / 1024 if m else None


def instructions(cmd, cwd):
    """Instructions of one run, all threads (callgrind), or None."""
    if not shutil.which('valgrind'):
        return None
    p = subprocess.run(['valgrind', '--tool=callgrind',
                        '--callgrind-out-file=/dev/null'] + cmd, cwd=cwd,
                       stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                       text=True)
    m = re.search(r'Collected : (\d+)', p.stderr)
    return int(m.group(1)) if m else None


def ms(s):
    return '%.1f ms' % (s * 1000) if s < 10 else '%.2f s' % s


def mb(m):
    return '%.1f MB' % m if m is not None else '-'


def report(name, repo, specsite, suite_name, suite_cmd, args):
    files, flagged_files, _ = run_check(specsite, repo)
    check = [specsite, 'check', '-q']
    wall, cpu, rc = timed(check, repo, args.runs, 2)
    s_wall, s_cpu, s_rc = timed(suite_cmd, repo, args.suite_runs, 1)
    best, med = min(wall), statistics.median(wall)
    s_best, s_med = min(s_wall), statistics.median(s_wall)
    print('\n%s: %d files checked, %d flagged by the check (status %d), '
          'the suite %s (status %d)'
          % (name, files, flagged_files, rc,
             'passes' if s_rc == 0 else 'FAILS: its time is a lower bound',
             s_rc))
    print('  %-34s best %9s  median %9s  CPU best %9s  peak %s'
          % ('specsite check', ms(best), ms(med), ms(min(cpu)),
             mb(peak_memory(check, repo))))
    print('  %-34s best %9s  median %9s  CPU best %9s  peak %s'
          % (suite_name, ms(s_best), ms(s_med), ms(min(s_cpu)),
             mb(peak_memory(suite_cmd, repo))))
    if args.instructions:
        n = instructions(check, repo)
        print('  %-34s %s' % ('specsite check, instructions',
                              '%.1f M' % (n / 1e6) if n else '-'))
    per1000 = best * 1000 / files if files else float('inf')
    print('  ratio (suite / check, best): %.0fx; median: %.0fx'
          % (s_best / best, s_med / med))
    print('  1,000 specs under 100 ms: %s (best %s, median %s per 1,000)'
          % ('yes' if per1000 < 0.1 else 'NO', ms(per1000),
             ms(med * 1000 / files if files else float('inf'))))


def main():
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('--specsite', default=os.path.join(SRC, 'build',
                                                       'specsite'))
    ap.add_argument('--corpus', default=os.path.join(SRC, '..', 'shared',
                                                     'corpus'))
    ap.add_argument('--specs', type=int, default=1000)
    ap.add_argument('--runs', type=int,
                    default=int(os.environ.get('RUNS', 20)))
    ap.add_argument('--suite-runs', type=int,
                    default=int(os.environ.get('SUITE_RUNS', 3)))
    ap.add_argument('--instructions', action='store_true',
                    help="also count one check's instructions (callgrind)")
    ap.add_argument('--keep', action='store_true',
                    help='keep the repositories (their folder is printed)')
    args = ap.parse_args()
    specsite = os.path.abspath(args.specsite)
    corpus = os.path.abspath(args.corpus)
    if not os.access(specsite, os.X_OK):
        sys.exit('check-vs-suites: no %s (build it first)' % specsite)
    for repo in ('ironic-specs', 'cinder-specs'):
        if not os.path.isdir(os.path.join(corpus, repo)):
            sys.exit('check-vs-suites: no %s in %s' % (repo, corpus))
    work = tempfile.mkdtemp(prefix='check-vs-suites.')
    try:
        ironic = os.path.join(work, 'ironic')
        cinder = os.path.join(work, 'cinder')
        left_out = make_ironic(corpus, ironic, specsite, args.specs)
        make_cinder(corpus, cinder, specsite, args.specs)
        with open('/proc/loadavg') as f:
            load = f.read().split()[0]
        print('check-vs-suites: %s, %d runs (suites %d), load average %s%s'
              % (specsite, args.runs, args.suite_runs, load,
                 ', in ' + work if args.keep else ''))
        print('ironic-style: %d specs of ironic-specs failing the check '
              'left out, the rest copied into specs/approved/' % left_out)
        true_wall, _, _ = timed(['/bin/true'], work, args.runs, 2)
        print('process start-up floor (/bin/true): best %s'
              % ms(min(true_wall)))
        report('ironic-style', ironic, specsite, 'python3 -m pytest tests',
               [PYTHON, '-m', 'pytest', '-q', '-p', 'no:cacheprovider',
                'tests'], args)
        report('cinder-style', cinder, specsite, 'doc8 --ignore D001 specs/',
               ['doc8', '--ignore', 'D001', 'specs/'], args)
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == '__main__':
    sys.exit(main())
