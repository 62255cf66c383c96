#!/usr/bin/env python3
# bench/peers.py - the load and counting half of bench/peers (stdlib only).
#   peers.py readings < EXPOSITION        sensor readings in one scrape
#   peers.py polls FILE                   "target polls" from a /metrics file
#   peers.py scrape URLFILE INTERVAL SECONDS
#       every INTERVAL, GET every URL of URLFILE at once (as Prometheus does
#       with one scrape per target); prints rounds, scrapes, failures,
#       readings and the slowest round
#   peers.py fanout HOSTFILE INTERVAL SECONDS PARALLEL -- CMD... {}
#       every INTERVAL, run CMD for every host ({} replaced), PARALLEL at a
#       time (xargs -P); prints rounds, runs, failures, readings (sensor lines
#       with a reading or a state), lines and the children's CPU seconds
#       (getrusage RUSAGE_CHILDREN: every child was waited for)
import concurrent.futures
import re
import resource
import subprocess
import sys
import time
import urllib.request

# The families that carry one sensor reading each (ipmi_exporter's names,
# which our /ipmi and /metrics use too); the *_state families repeat them.
VALUE_FAMILIES = {
    "ipmi_temperature_celsius", "ipmi_fan_speed_rpm", "ipmi_voltage_volts",
    "ipmi_current_amperes", "ipmi_power_watts", "ipmi_sensor_value",
}
LINE = re.compile(r'^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{.*\})?\s+(\S+)')


def readings(text):
    """Series of the value families: one per sensor read (a discrete sensor's
    value is NaN, its state is the reading), as many as ipmi-sensors rows
    with a reading or an event state."""
    n = 0
    for line in text.splitlines():
        m = LINE.match(line)
        if m and m.group(1) in VALUE_FAMILIES:
            n += 1
    return n


def polls(path):
    with open(path) as f:
        for line in f:
            m = re.match(r'^ipmi_collector_polls_total\{target="([^"]+)"\}\s+(\S+)', line)
            if m:
                print(m.group(1), int(float(m.group(2))))


def get(url):
    try:
        with urllib.request.urlopen(url, timeout=60) as r:
            return readings(r.read().decode("utf-8", "replace")), True
    except Exception:
        return 0, False


def scrape(urlfile, interval, seconds):
    urls = [u.strip() for u in open(urlfile) if u.strip()]
    t0 = time.monotonic()
    rounds = scrapes = fails = total = 0
    slowest = 0.0
    with concurrent.futures.ThreadPoolExecutor(max_workers=len(urls)) as ex:
        while rounds == 0 or rounds * interval < seconds - 1e-3:
            start = t0 + rounds * interval
            time.sleep(max(0.0, start - time.monotonic()))
            r0 = time.monotonic()
            for n, ok in ex.map(get, urls):
                scrapes += 1
                total += n
                fails += 0 if ok else 1
            slowest = max(slowest, time.monotonic() - r0)
            rounds += 1
    time.sleep(max(0.0, t0 + seconds - time.monotonic()))
    print(f"rounds {rounds}\nscrapes {scrapes}\nfailures {fails}\nreadings {total}\n"
          f"slowest_round_s {slowest:.2f}")


def fanout(hostfile, interval, seconds, parallel, cmd):
    hosts = [h.strip() for h in open(hostfile) if h.strip()]

    def run(h):
        p = subprocess.run([a.replace("{}", h) for a in cmd], stdout=subprocess.PIPE,
                           stderr=subprocess.DEVNULL, text=True)
        rows = [l for l in p.stdout.splitlines()[1:] if "|" in l]
        # a row whose reading and event are both N/A has nothing read
        read = [l for l in rows if l.rsplit("|", 1)[-1].strip() != "N/A"]
        return len(read), len(rows), p.returncode == 0

    ru0 = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.monotonic()
    rounds = runs = fails = total = lines = 0
    slowest = 0.0
    with concurrent.futures.ThreadPoolExecutor(max_workers=parallel) as ex:
        while rounds == 0 or rounds * interval < seconds - 1e-3:
            start = t0 + rounds * interval
            time.sleep(max(0.0, start - time.monotonic()))
            r0 = time.monotonic()
            for n, nl, ok in ex.map(run, hosts):
                runs += 1
                total += n
                lines += nl
                fails += 0 if ok else 1
            slowest = max(slowest, time.monotonic() - r0)
            rounds += 1
    time.sleep(max(0.0, t0 + seconds - time.monotonic()))
    ru1 = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (ru1.ru_utime - ru0.ru_utime) + (ru1.ru_stime - ru0.ru_stime)
    print(f"rounds {rounds}\nruns {runs}\nfailures {fails}\nreadings {total}\nlines {lines}\n"
          f"slowest_round_s {slowest:.2f}\ncpu_s {cpu:.2f}")


def main(a):
    if a[:1] == ["readings"]:
        print(readings(sys.stdin.read()))
    elif a[:1] == ["polls"] and len(a) == 2:
        polls(a[1])
    elif a[:1] == ["scrape"] and len(a) == 4:
        scrape(a[1], float(a[2]), float(a[3]))
    elif a[:1] == ["fanout"] and len(a) > 6 and a[5] == "--":
        fanout(a[1], float(a[2]), float(a[3]), int(a[4]), a[6:])
    else:
        sys.exit(__doc__ or "usage: see the head of bench/peers.py")


if __name__ == "__main__":
    main(sys.argv[1:])
