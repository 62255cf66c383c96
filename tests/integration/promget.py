#!/usr/bin/env python3
"""promget.py - read one value out of a Prometheus text exposition.

usage: promget.py [--label NAME] FAMILY [LABEL=VALUE ...] < exposition
Prints the value (or with --label, that label's value) of every series of
FAMILY whose labels include the given ones, one per line (sorted); exit 1
when none matches.
"""
import re
import sys

LINE = re.compile(r'^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{(.*)\})?\s+(\S+)(\s+\d+)?$')
LABEL = re.compile(r'([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"')


def series(text):
    for line in text.splitlines():
        if not line or line.startswith('#'):
            continue
        m = LINE.match(line)
        if not m:
            raise SystemExit('unparsable line: %r' % line)
        labels = {k: v.replace('\\"', '"').replace('\\n', '\n').replace('\\\\', '\\')
                  for k, v in LABEL.findall(m.group(3) or '')}
        yield m.group(1), labels, m.group(4)


def main():
    args = sys.argv[1:]
    show = None
    if args[:1] == ['--label']:
        show, args = args[1], args[2:]
    fam = args[0]
    want = dict(a.split('=', 1) for a in args[1:])
    out = [labels.get(show, '') if show else v for name, labels, v in series(sys.stdin.read())
           if name == fam and all(labels.get(k) == w for k, w in want.items())]
    for v in sorted(out):
        print(v)
    return 0 if out else 1


if __name__ == '__main__':
    sys.exit(main())
