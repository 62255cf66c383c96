#!/usr/bin/env python3
"""compare_prom.py - compare two Prometheus text expositions family by family.

usage: compare_prom.py [--ignore-value FAMILY]... WHAT WANT_FILE GOT_FILE

WANT is the reference (the real ipmi_exporter), GOT ours. Prints one line per
family, "ok<TAB>text" or "bad<TAB>text", followed for a bad one by indented
diff lines, and first one line for the set of family names. A family's TYPE,
its set of label sets and every value must be equal; values are compared as
floats after parsing (NaN equals NaN). A family given with --ignore-value must
be present in both, its value is not compared. Exit 0 when all agree.
"""
import math
import re
import sys

METRIC = re.compile(r'^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})?[ \t]+(\S+)(?:[ \t]+-?\d+)?$')
LABEL = re.compile(r'\s*([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"\s*(,|$)')
UNESCAPE = re.compile(r'\\(.)')


def unescape(s):
    return UNESCAPE.sub(lambda m: '\n' if m.group(1) == 'n' else m.group(1), s)


def parse_labels(text, line):
    labels, pos = {}, 0
    text = text or ''
    while pos < len(text):
        m = LABEL.match(text, pos)
        if not m or m.end() == pos:
            raise ValueError('bad labels in %r' % line)
        if m.group(1) in labels:
            raise ValueError('label %s twice in %r' % (m.group(1), line))
        labels[m.group(1)] = unescape(m.group(2))
        pos = m.end()
    return tuple(sorted(labels.items()))


def parse(text, where):
    """{family: {'type': str|None, 'series': {labelset: float}}}"""
    fams = {}

    def fam(name):
        return fams.setdefault(name, {'type': None, 'series': {}})

    for n, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        if line.startswith('#'):
            parts = line.split(None, 3)
            if len(parts) >= 4 and parts[1] == 'TYPE':
                f = fam(parts[2])
                if f['type'] is not None:
                    raise ValueError('%s:%d: second TYPE for %s' % (where, n, parts[2]))
                f['type'] = parts[3].strip()
            continue
        m = METRIC.match(line)
        if not m:
            raise ValueError('%s:%d: unparsable line %r' % (where, n, line))
        labels = parse_labels(m.group(2), line)
        try:
            value = float(m.group(3))  # accepts NaN, +Inf, -Inf, 1e+06
        except ValueError:
            raise ValueError('%s:%d: bad value in %r' % (where, n, line))
        series = fam(m.group(1))['series']
        if labels in series:
            raise ValueError('%s:%d: duplicate series %r' % (where, n, line))
        series[labels] = value
    return fams


def show(labels):
    return '{' + ','.join('%s="%s"' % kv for kv in labels) + '}'


def same(a, b):
    if math.isnan(a) or math.isnan(b):
        return math.isnan(a) and math.isnan(b)
    return a == b


def compare_family(name, want, got, ignore_value):
    """(ok, summary, [diff lines])"""
    diff = []
    if want['type'] != got['type']:
        diff.append('TYPE: exporter %s, ours %s' % (want['type'], got['type']))
    ws, gs = want['series'], got['series']
    for k in sorted(set(ws) - set(gs)):
        diff.append('- %s%s %r   (only in the exporter)' % (name, show(k), ws[k]))
    for k in sorted(set(gs) - set(ws)):
        diff.append('+ %s%s %r   (only in ours)' % (name, show(k), gs[k]))
    if not ignore_value:
        for k in sorted(set(ws) & set(gs)):
            if not same(ws[k], gs[k]):
                diff.append('~ %s%s exporter %r, ours %r' % (name, show(k), ws[k], gs[k]))
    what = '%d series' % len(ws) + (', value not compared' if ignore_value else '')
    return not diff, what, diff


def main(argv):
    ignore = set()
    args = []
    i = 0
    while i < len(argv):
        if argv[i] == '--ignore-value':
            ignore.add(argv[i + 1])
            i += 2
        else:
            args.append(argv[i])
            i += 1
    if len(args) != 3:
        sys.stderr.write(__doc__)
        return 2
    what, wantf, gotf = args
    try:
        with open(wantf) as f:
            want = parse(f.read(), 'exporter')
        with open(gotf) as f:
            got = parse(f.read(), 'ours')
    except (OSError, ValueError) as e:
        print('bad\t%s: cannot compare: %s' % (what, e))
        return 1
    allok = True

    def report(ok, text, diff=()):
        nonlocal allok
        allok = allok and ok
        print('%s\t%s' % ('ok' if ok else 'bad', text))
        for d in diff:
            print('      ' + d)

    only_w = sorted(set(want) - set(got))
    only_g = sorted(set(got) - set(want))
    report(not only_w and not only_g and len(want) > 0,
           '%s: the same %d families' % (what, len(want)),
           ['only in the exporter: ' + f for f in only_w] +
           ['only in ours: ' + f for f in only_g] +
           (['no families at all'] if not want else []))
    for name in sorted(set(want) | set(got)):
        if name in only_w or name in only_g:
            continue
        ok, summary, diff = compare_family(name, want[name], got[name], name in ignore)
        report(ok, '%s: %s (%s)' % (what, name, summary), diff)
    for name in sorted(ignore):
        if name not in want or name not in got:
            report(False, '%s: %s present in both' % (what, name),
                   ['exporter: %s, ours: %s' % (name in want, name in got)])
    return 0 if allok else 1


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
