#!/usr/bin/env python3
"""Checks `vigil --batch --format json` output against the contract's JSON snapshot:
every key at every level, in order, with its type; nulls only where the contract allows.
Usage: batch_output.py FILE CHECK... where each CHECK is one of
  schema N DELAY       N lines, every key and type, intervals that match DELAY
  hostile PID NAME_HEX the process PID is listed with exactly this comm
  busy PID             the first snapshot shows PID using CPU (the priming sample)
  filter pids P,P | filter uid U   only these processes are listed"""
import json
import sys

F = float
I = int
S = str
B = bool
N = type(None)

CPU_PCT = ["busy", "user", "system", "nice", "iowait", "irq", "softirq", "steal", "idle"]
TOP = ["time", "interval", "host", "cpu", "memory", "swap", "interfaces", "processes"]
HOST = {"hostname": S, "kernel": S, "boot_time": F, "uptime": F, "load": list}
CPU = ["logical", "physical", "sockets", "total", "per_cpu"]
MEM = ["total", "available", "used", "free", "buffers", "cached", "shared"]
SWAP = ["total", "used", "free"]
IFACE = {
    "name": S, "index": I, "up": B, "running": B, "flags": list, "duplex": S,
    "speed_mbps": (I, N), "mtu": I, "addresses": list,
    "rx_bytes": I, "tx_bytes": I, "rx_packets": I, "tx_packets": I,
    "rx_errors": I, "tx_errors": I, "rx_dropped": I, "tx_dropped": I,
    "rx_bytes_per_s": F, "tx_bytes_per_s": F,
}
ADDR = {"family": S, "address": (S, N), "netmask": (S, N), "broadcast": (S, N), "ptp": (S, N)}
PROC = {
    "pid": I, "ppid": I, "name": S, "cmdline": list, "exe": (S, N), "user": (S, N),
    "uid": (I, N), "state": S, "zombie": B, "kernel_thread": B, "nice": I, "priority": I,
    "ionice": (dict, N), "threads": I, "rss": I, "vms": I, "shared": I,
    "mem_percent": F, "cpu_percent": F, "cpu_time": F, "start_time": F, "tty": (S, N),
    "io_read_bytes": (I, N), "io_write_bytes": (I, N),
}

errors = []


def err(msg):
    if len(errors) < 30:
        errors.append(msg)


def typed(where, value, types):
    types = types if isinstance(types, tuple) else (types,)
    # bool is a subclass of int in Python: an int field must not hold true/false
    ok = any(type(value) is t for t in types)
    if not ok:
        err(f"{where}: {value!r} is {type(value).__name__}, want {[t.__name__ for t in types]}")
    return ok


def keys(where, obj, want):
    if not isinstance(obj, dict):
        err(f"{where}: not an object")
        return False
    if list(obj.keys()) != list(want):
        err(f"{where}: keys {list(obj.keys())}, want {list(want)}")
        return False
    return True


def check_snapshot(d, i):
    w = f"line {i}"
    if not keys(w, d, TOP):
        return
    typed(f"{w}.time", d["time"], F)
    typed(f"{w}.interval", d["interval"], F)
    if keys(f"{w}.host", d["host"], HOST):
        for k, t in HOST.items():
            typed(f"{w}.host.{k}", d["host"][k], t)
        load = d["host"]["load"]
        if len(load) != 3 or not all(type(x) is F and x >= 0 for x in load):
            err(f"{w}.host.load: {load}")
    c = d["cpu"]
    if keys(f"{w}.cpu", c, CPU):
        typed(f"{w}.cpu.logical", c["logical"], I)
        typed(f"{w}.cpu.physical", c["physical"], (I, N))
        typed(f"{w}.cpu.sockets", c["sockets"], (I, N))
        # primed: the first snapshot's percentages are real numbers, not null
        for k in CPU_PCT:
            typed(f"{w}.cpu.total.{k}", c["total"].get(k), F)
        keys(f"{w}.cpu.total", c["total"], CPU_PCT)
        t = c["total"]
        if all(type(t.get(k)) is F for k in CPU_PCT) and abs(
                t["busy"] + t["idle"] + t["iowait"] - 100) > 0.5:
            err(f"{w}.cpu.total: busy + idle + iowait != 100: {c['total']}")
        if len(c["per_cpu"]) != c["logical"]:
            err(f"{w}.cpu.per_cpu: {len(c['per_cpu'])} entries, logical {c['logical']}")
        for j, p in enumerate(c["per_cpu"]):
            if keys(f"{w}.cpu.per_cpu[{j}]", p, ["id"] + CPU_PCT):
                typed(f"{w}.cpu.per_cpu[{j}].id", p["id"], I)
                for k in CPU_PCT:
                    typed(f"{w}.cpu.per_cpu[{j}].{k}", p[k], F)
    if keys(f"{w}.memory", d["memory"], MEM):
        for k in MEM:
            typed(f"{w}.memory.{k}", d["memory"][k], I)
        if d["memory"]["total"] <= 0:
            err(f"{w}.memory.total is not positive")
    if keys(f"{w}.swap", d["swap"], SWAP):
        for k in SWAP:
            typed(f"{w}.swap.{k}", d["swap"][k], I)
    typed(f"{w}.interfaces", d["interfaces"], list)
    if not any(f.get("name") == "lo" for f in d["interfaces"]):
        err(f"{w}.interfaces: no lo")
    for j, f in enumerate(d["interfaces"]):
        wf = f"{w}.interfaces[{j}]"
        if not keys(wf, f, IFACE):
            continue
        for k, t in IFACE.items():
            typed(f"{wf}.{k}", f[k], t)
        if f["duplex"] not in ("full", "half", "unknown"):
            err(f"{wf}.duplex: {f['duplex']}")
        for fl in f["flags"]:
            typed(f"{wf}.flags[]", fl, S)
        for a_i, a in enumerate(f["addresses"]):
            if keys(f"{wf}.addresses[{a_i}]", a, ADDR):
                for k, t in ADDR.items():
                    typed(f"{wf}.addresses[{a_i}].{k}", a[k], t)
                if a["family"] not in ("inet", "inet6", "link"):
                    err(f"{wf}.addresses[{a_i}].family: {a['family']}")
    procs = d["processes"]
    typed(f"{w}.processes", procs, list)
    if len(procs) < 3:
        err(f"{w}.processes: only {len(procs)}")
    pids = [p.get("pid") for p in procs]
    if pids != sorted(pids) or len(set(pids)) != len(pids):
        err(f"{w}.processes: not in pid order without duplicates")
    for j, p in enumerate(procs):
        wp = f"{w}.processes[pid {p.get('pid')}]"
        if not keys(wp, p, PROC):
            continue
        for k, t in PROC.items():
            typed(f"{wp}.{k}", p[k], t)
        if len(p["state"]) != 1:
            err(f"{wp}.state: {p['state']!r}")
        if p["zombie"] != (p["state"] == "Z"):
            err(f"{wp}: zombie {p['zombie']} but state {p['state']}")
        for a in p["cmdline"]:
            typed(f"{wp}.cmdline[]", a, S)
        if (p["kernel_thread"] or p["zombie"]) and p["cmdline"]:
            err(f"{wp}: kernel thread or zombie with a cmdline {p['cmdline']}")
        if p["ionice"] is not None and keys(f"{wp}.ionice", p["ionice"], ["class", "level"]):
            cls, lvl = p["ionice"]["class"], p["ionice"]["level"]
            if cls not in ("none", "realtime", "best-effort", "idle"):
                err(f"{wp}.ionice.class: {cls}")
            if cls in ("none", "idle") and lvl is not None:
                err(f"{wp}.ionice.level: {lvl} for class {cls}")
            if cls in ("realtime", "best-effort") and not (type(lvl) is I and 0 <= lvl <= 7):
                err(f"{wp}.ionice.level: {lvl} for class {cls}")
        if p["threads"] < 1 and not p["zombie"]:
            err(f"{wp}.threads: {p['threads']}")
        for k in ("cpu_percent", "mem_percent", "cpu_time"):
            if p[k] < 0:
                err(f"{wp}.{k} is negative")
        if (p["user"] is None) != (p["uid"] is None):
            err(f"{wp}: user {p['user']} but uid {p['uid']}")


def load(path):
    with open(path, "rb") as f:
        raw = f.read()
    lines = raw.split(b"\n")
    if lines[-1] != b"":
        err("output does not end with a newline")
    docs = []
    for i, line in enumerate(lines[:-1]):
        try:
            docs.append(json.loads(line.decode("utf-8")))  # strict: must be valid UTF-8
        except (ValueError, UnicodeDecodeError) as e:
            err(f"line {i}: not valid JSON: {e}")
    return docs


def proc(doc, pid):
    for p in doc["processes"]:
        if p["pid"] == pid:
            return p
    return None


def main():
    path, args = sys.argv[1], sys.argv[2:]
    docs = load(path)
    while args:
        mode = args.pop(0)
        if mode == "schema":
            n, delay = int(args.pop(0)), float(args.pop(0))
            check_schema(docs, n, delay)
        elif mode == "hostile":
            check_hostile(docs, int(args.pop(0)), bytes.fromhex(args.pop(0)))
        elif mode == "busy":
            check_busy(docs, int(args.pop(0)))
        elif mode == "filter":
            check_filter(docs, args.pop(0), args.pop(0))
        else:
            err(f"unknown check {mode}")
            break
    for e in errors:
        print("FAIL:", e)
    sys.exit(1 if errors else 0)


def check_schema(docs, n, delay):
    if len(docs) != n:
        err(f"{len(docs)} lines, want {n}")
    for i, d in enumerate(docs):
        check_snapshot(d, i)
        # at least the delay (sampling a busy machine may take longer); the priming
        # interval, before the first line, is the delay up to one second
        want = min(delay, 1.0) if i == 0 else delay
        if "interval" in d and not d["interval"] >= want * 0.9:
            err(f"line {i}: interval {d['interval']} for a delay of {delay}")
    times = [d.get("time") for d in docs]
    if times != sorted(times) or len(set(times)) != len(times):
        err(f"times do not increase: {times}")
    # the interval is the time between the samples (wall and monotonic clocks agree to
    # well within a second over a test run)
    for i in range(1, len(docs)):
        gap = docs[i]["time"] - docs[i - 1]["time"]
        if abs(docs[i]["interval"] - gap) > max(0.5, 0.1 * gap):
            err(f"line {i}: interval {docs[i]['interval']} but {gap} since the last line")


def check_hostile(docs, pid, name):
    for i, d in enumerate(docs):
        p = proc(d, pid)
        if p is None:
            err(f"line {i}: pid {pid} missing")
            continue
        want = name.decode("utf-8", "replace")  # invalid bytes become U+FFFD
        if p["name"] != want:
            err(f"line {i}: name {p['name']!r}, want {want!r}")
        if p["threads"] != 1 or p["zombie"] or p["kernel_thread"]:
            err(f"line {i}: helper looks wrong: {p}")


def check_busy(docs, pid):
    p = proc(docs[0], pid) if docs else None
    # the first snapshot follows a priming sample: a spinning process shows real use
    if p is None:
        err(f"busy pid {pid} missing")
    elif not p["cpu_percent"] > 1.0:
        err(f"busy process shows cpu_percent {p['cpu_percent']} in the first snapshot")


def check_filter(docs, what, value):
    if not docs:
        err("no output")
    for i, d in enumerate(docs):
        got = [p["pid"] for p in d["processes"]]
        if what == "pids":
            want = sorted(int(x) for x in value.split(","))
            if sorted(got) != want:
                err(f"line {i}: pids {got}, want {want}")
        else:
            if not got:
                err(f"line {i}: no process of uid {value}")
            bad = [p["pid"] for p in d["processes"] if p["uid"] != int(value)]
            if bad:
                err(f"line {i}: processes of other uids: {bad[:10]}")


if __name__ == "__main__":
    main()
