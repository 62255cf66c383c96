#!/usr/bin/env python3
"""Field-by-field comparisons of ipmi-collector's JSON with ipmitool/FreeIPMI text.

usage: compare.py sensors OURS.json IPMITOOL_SENSOR_LIST.txt IPMI_SENSORS.txt
       compare.py sel OURS.json IPMITOOL_SEL_ELIST.txt
       compare.py fru OURS.json IPMITOOL_FRU_PRINT.txt
Prints one "ok"/"FAIL" line per field and exits 1 on any difference.
"""
import json
import re
import sys

fails = 0
oks = 0


def check(what, want, got):
    global fails, oks
    if want == got:
        oks += 1
    else:
        fails += 1
        print(f"FAIL {what}: ipmitool/FreeIPMI [{want}] ours [{got}]")


def fmt(v, digits):
    return "na" if v is None else f"{v:.{digits}f}"


def lookup(ours, name):
    """Our sensor by name. ipmitool and ipmi-sensors do not expand shared compact
    records (they show the first sensor under the bare ID string); we do, with an
    instance suffix: compare their line with our first instance."""
    if name in ours:
        return ours[name]
    shared = [s for n, s in ours.items() if n.startswith(name) and 0 < len(n) - len(name) <= 3]
    return min(shared, key=lambda s: s["number"]) if shared else None


def sensors(ours_path, it_path, fi_path):
    ours = {s["name"]: s for s in json.load(open(ours_path))}
    state_map = {"ok": "ok", "nc": "warning", "cr": "critical", "nr": "non-recoverable", "na": None}
    order = ["lnr", "lc", "lnc", "unc", "uc", "unr"]
    for line in open(it_path):
        f = [x.strip() for x in line.split("|")]
        if len(f) < 10:
            continue
        name = f[0]
        s = lookup(ours, name)
        if s is None:
            check(f"sensor {name} present", True, False)
            continue
        if s["reading_type"] == "threshold":
            check(f"{name} value", f[1], fmt(s["value"], 3) if s["value"] is not None else "na")
            check(f"{name} unit", f[2], s["unit"] if s["value"] is not None else "")
            check(f"{name} state", state_map.get(f[3], f[3]), s["state"])
            # ipmitool's columns after status: lnr lcr lnc unc ucr unr
            for i, k in enumerate(order):
                check(f"{name} {k}", f[4 + i], fmt(s["thresholds"][k], 3))
        else:
            check(f"{name} state bits", int(f[1], 16), s["state_bits"])
            check(f"{name} unit", f[2], s["unit"])
    # ipmi-sensors: ID | Name | Type | Reading | Units | Event
    for line in open(fi_path):
        f = [x.strip() for x in line.split("|")]
        if len(f) < 6 or f[0] == "ID":
            continue
        s = lookup(ours, f[1])
        if s is None:
            check(f"ipmi-sensors {f[1]} present", True, False)
            continue
        check(f"ipmi-sensors {f[1]} type", f[2], s["type"])
        if s["reading_type"] == "threshold":
            digits = len(f[3].split(".")[1]) if "." in f[3] else 0
            check(f"ipmi-sensors {f[1]} reading", f[3],
                  "N/A" if s["value"] is None else fmt(s["value"], digits))


def sel(ours_path, it_path):
    ours = {e["record_id"]: e for e in json.load(open(ours_path))}
    seen = 0
    for line in open(it_path):
        f = [x.strip() for x in line.split("|")]
        if len(f) < 2:
            continue
        rid = int(f[0], 16)
        e = ours.get(rid)
        seen += 1
        if e is None:
            check(f"SEL record {rid} present", True, False)
            continue
        if f[1].startswith("OEM record") or (len(f) > 3 and f[3].startswith("OEM record")):
            check(f"SEL {rid} OEM type", True, e["record_type"] >= 0xC0)
            continue
        # id | date | time | type name | event | direction [| detail]
        # "<sensor type> <name>": the type wording differs between the tools (we use
        # FreeIPMI's, as ipmi_exporter does), so compare the name; ipmitool cannot
        # resolve the numbers of shared compact records and prints "#0x64" instead.
        typ_name = f[3]
        m = re.search(r"#0x([0-9a-f]+)$", typ_name)
        if m:
            check(f"SEL {rid} sensor number", int(m.group(1), 16), e["sensor_number"])
        elif e["sensor"]:
            check(f"SEL {rid} sensor name", True, typ_name.endswith(" " + e["sensor"]))
        check(f"SEL {rid} event", f[4].lower(), e["event"].lower())
        check(f"SEL {rid} direction", f[5].lower(), e["direction"])
        if len(f) > 6:
            check(f"SEL {rid} detail", f[6], e["detail"])
    check("SEL record count", seen, len(ours))


def fru(ours_path, it_path):
    devs = {d["fru_id"]: d for d in json.load(open(ours_path))}
    fields = {
        "Chassis Type": ("chassis", "type"), "Chassis Part Number": ("chassis", "part_number"),
        "Chassis Serial": ("chassis", "serial"), "Board Mfg Date": ("board", "mfg_date"),
        "Board Mfg": ("board", "manufacturer"), "Board Product": ("board", "product"),
        "Board Serial": ("board", "serial"), "Board Part Number": ("board", "part_number"),
        "Product Manufacturer": ("product", "manufacturer"), "Product Name": ("product", "name"),
        "Product Part Number": ("product", "part_number"), "Product Version": ("product", "version"),
        "Product Serial": ("product", "serial"), "Product Asset Tag": ("product", "asset_tag"),
    }
    cur = None
    for line in open(it_path):
        if line.startswith("FRU Device Description"):
            fid = int(line.rsplit("ID", 1)[1].strip(" )\n"))
            cur = devs.get(fid)
            check(f"FRU {fid} present", True, cur is not None)
            continue
        if cur is None or ":" not in line:
            continue
        key, val = [x.strip() for x in line.split(":", 1)]
        if key == "Board Extra":
            check(f"FRU {cur['fru_id']} {key}", val, (cur["board"]["extra"] or [None])[0])
        elif key in fields:
            area, k = fields[key]
            got = (cur.get(area) or {}).get(k)
            if key == "Board Mfg Date":
                val = val.replace(" UTC", "")
            check(f"FRU {cur['fru_id']} {key}", val, got)


{"sensors": sensors, "sel": sel, "fru": fru}[sys.argv[1]](*sys.argv[2:])
print(f"{oks} fields equal, {fails} differ")
sys.exit(1 if fails else 0)
