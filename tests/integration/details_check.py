"""Checks `vigil --batch --format json --pid PID --details` output for the details_target
helper against /proc (and ss, when given its output). Used by details.sh.

usage: details_check.py MODE REPORT JSONL [SS_TCP SS_UDP SS_UNIX]
MODE: "root" (a full read), "nobody" (vigil ran as uid 65534 on a root process),
"zombie" (the helper's zombie child). Prints one line per failed fact; exit 1 if any."""
import json
import os
import sys

fails = []


def check(cond, what):
    if not cond:
        fails.append(what)
    return cond


def report(path):
    r = {}
    with open(path) as f:
        for line in f:
            parts = line.rstrip("\n").split(" ", 1)
            if len(parts) == 2:
                r[parts[0]] = parts[1]
    return r


def snapshots(path):
    with open(path) as f:
        return [json.loads(line) for line in f if line.strip()]


def proc_of(snap, pid):
    for p in snap["processes"]:
        if p["pid"] == pid:
            return p
    return None


def stat_fields(pid):
    with open(f"/proc/{pid}/stat") as f:
        s = f.read()
    comm = s[s.index("(") + 1 : s.rindex(")")]
    return comm, s[s.rindex(")") + 2 :].split()


def status_ids(pid, key):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith(key + ":"):
                return [int(x) for x in line.split()[1:5]]
    return None


def proc_limits(pid):
    out = {}
    with open(f"/proc/{pid}/limits") as f:
        next(f)
        for line in f:
            name = line[:25].strip()
            rest = line[25:].split()
            out[name] = (rest[0], rest[1])
    return out


def limit_text(v):
    return v if v == "unlimited" else str(v)


def check_identity(d, pid, rep):
    ident = d["identity"]
    comm, f = stat_fields(pid)
    check(ident["pid"] == pid, f"identity.pid {ident['pid']} != {pid}")
    check(ident["name"] == comm, f"identity.name {ident['name']!r} != {comm!r}")
    check(ident["ppid"] == int(f[1]), f"identity.ppid {ident['ppid']} != {f[1]}")
    pcomm, _ = stat_fields(int(f[1]))
    check(ident["parent_name"] == pcomm, f"parent_name {ident['parent_name']!r} != {pcomm!r}")
    check(ident["state"] == f[0], f"state {ident['state']} != {f[0]}")
    uids = status_ids(pid, "Uid")
    check(
        [ident["uids"][k] for k in ("real", "effective", "saved", "filesystem")] == uids,
        f"uids {ident['uids']} != {uids}",
    )
    gids = status_ids(pid, "Gid")
    check(ident["gids"]["effective"] == gids[1], "gids.effective")
    return ident


def check_full(d, pid, rep, ss):
    ident = check_identity(d, pid, rep)
    check(ident["exe"] == os.readlink(f"/proc/{pid}/exe"), f"exe {ident['exe']}")
    check(ident["cwd"] == os.readlink(f"/proc/{pid}/cwd"), f"cwd {ident['cwd']}")
    with open(f"/proc/{pid}/cmdline", "rb") as f:
        argv = f.read().rstrip(b"\0").split(b"\0")
    check(ident["cmdline"] == [a.decode() for a in argv], f"cmdline {ident['cmdline']}")
    check(ident["exe_error"] is None and ident["cwd_error"] is None, "identity errors")
    check(d["zombie"] is None, "a live process reported as a zombie")

    # CPU
    cpu = d["cpu"]
    tids = sorted(int(t) for t in os.listdir(f"/proc/{pid}/task"))
    check(cpu["threads"] == 4 == len(tids), f"cpu.threads {cpu['threads']}, task/ has {len(tids)}")
    check(cpu["affinity"] == sorted(os.sched_getaffinity(pid)), f"affinity {cpu['affinity']}")
    _, f = stat_fields(pid)
    check(cpu["nice"] == int(f[16]), f"nice {cpu['nice']} != {f[16]}")
    check(cpu["priority"] == int(f[15]), f"priority {cpu['priority']} != {f[15]}")
    check(cpu["policy"] == "normal", f"policy {cpu['policy']}")
    check(cpu["ionice"] is not None and cpu["ionice"]["class"] in ("none", "best-effort"),
          f"ionice {cpu['ionice']}")
    hz = os.sysconf("SC_CLK_TCK")
    check(cpu["user_time"] <= int(f[11]) / hz + 1e-9, "user_time later than /proc's")
    check(cpu["ctx_switches"]["voluntary"] is not None and cpu["ctx_switches"]["voluntary"] > 0,
          f"ctx_switches {cpu['ctx_switches']}")
    check(d["interval"] is not None and d["interval"] > 0, f"interval {d['interval']}")
    check(cpu["cpu_percent"] is not None and cpu["cpu_percent"] > 0,
          f"cpu_percent {cpu['cpu_percent']} (worker-1 burns CPU)")

    # threads
    th = d["threads"]
    check([t["tid"] for t in th["list"]] == tids, f"thread tids {[t['tid'] for t in th['list']]}")
    names = {t["name"]: t for t in th["list"]}
    for n in ("worker-1", "worker-2", "worker-3"):
        check(n in names, f"no thread named {n}")
    if "worker-1" in names:
        w1 = names["worker-1"]["cpu_percent"]
        check(w1 is not None and w1 > 0, f"worker-1 cpu_percent {w1}")
        w3 = names.get("worker-3", {}).get("cpu_percent")
        check(w3 is not None and w3 < w1, f"worker-3 ({w3}) not below worker-1 ({w1})")

    # memory
    mem = d["memory"]
    with open(f"/proc/{pid}/status") as fh:
        st = {l.split(":")[0]: l.split()[1] for l in fh if l.startswith("Vm")}
    check(mem["vms"] == int(st["VmSize"]) * 1024, f"vms {mem['vms']} != {st['VmSize']} kB")
    check(abs(mem["rss"] - int(st["VmRSS"]) * 1024) <= 1 << 20, f"rss {mem['rss']}")
    check(mem["text"] == int(st["VmExe"]) * 1024, "text")
    check(mem["pss"] is not None and 0 < mem["pss"] <= mem["rss"] + (1 << 20), f"pss {mem['pss']}")
    check(mem["uss"] is not None and mem["uss"] <= mem["pss"], "uss > pss")
    paths = [m["path"] for m in mem["maps"]]
    check(ident["exe"] in paths, f"the executable is not among the maps: {paths[:8]}")
    # (no [heap] under ASan: its allocator maps memory itself)
    check("[stack]" in paths and ("[heap]" in paths or "[anon]" in paths), f"maps {paths}")
    rss = [m["rss"] for m in mem["maps"]]
    check(rss == sorted(rss, reverse=True), "maps not largest first")

    # I/O: the helper wrote and read back 256 KiB
    io = d["io"]
    check(io["error"] is None, f"io error {io['error']}")
    check(io["read_chars"] >= 262144 and io["write_chars"] >= 262144,
          f"read/write chars {io['read_chars']}/{io['write_chars']}")
    with open(f"/proc/{pid}/io") as fh:
        kio = dict(l.split(": ") for l in fh.read().splitlines())
    check(io["write_chars"] <= int(kio["wchar"]), "write_chars later than /proc's")
    check(io["read_chars_per_s"] is not None and io["read_chars_per_s"] >= 0, "read_chars_per_s")

    # files
    files = d["files"]
    fds = sorted(int(x) for x in os.listdir(f"/proc/{pid}/fd"))
    check(files["error"] is None, f"files error {files['error']}")
    check([x["fd"] for x in files["list"]] == fds, f"fd list {[x['fd'] for x in files['list']]} != {fds}")
    byfd = {x["fd"]: x for x in files["list"]}
    ffd = int(rep["file_fd"])
    check(byfd.get(ffd, {}).get("target") == rep["file"] and byfd[ffd]["type"] == "file",
          f"the open file: {byfd.get(ffd)}")
    for fd in fds:
        if fd in byfd:
            check(byfd[fd]["target"] == os.readlink(f"/proc/{pid}/fd/{fd}"), f"fd {fd} target")
    lfd = int(rep["listen_fd"])
    check(byfd.get(lfd, {}).get("type") == "socket", f"fd {lfd} type")

    # connections
    conns = d["connections"]["list"]
    check(d["connections"]["error"] is None, "connections error")

    def find(fd):
        return [c for c in conns if c["fd"] == fd]

    tcp_port, client_port = int(rep["tcp_port"]), int(rep["client_port"])
    c = find(lfd)
    check(len(c) == 1 and c[0]["proto"] == "tcp" and c[0]["state"] == "LISTEN"
          and c[0]["local_address"] == "127.0.0.1" and c[0]["local_port"] == tcp_port
          and c[0]["remote_address"] is None, f"listening socket: {c}")
    c = find(int(rep["client_fd"]))
    check(len(c) == 1 and c[0]["state"] == "ESTABLISHED" and c[0]["local_port"] == client_port
          and c[0]["remote_address"] == "127.0.0.1" and c[0]["remote_port"] == tcp_port,
          f"client end: {c}")
    c = find(int(rep["server_fd"]))
    check(len(c) == 1 and c[0]["state"] == "ESTABLISHED" and c[0]["local_port"] == tcp_port
          and c[0]["remote_port"] == client_port, f"server end: {c}")
    if "tcp6_fd" in rep:
        c = find(int(rep["tcp6_fd"]))
        check(len(c) == 1 and c[0]["family"] == "inet6" and c[0]["local_address"] == "::1"
              and c[0]["local_port"] == int(rep["tcp6_port"]) and c[0]["state"] == "LISTEN",
              f"IPv6 listener: {c}")
    c = find(int(rep["udp_fd"]))
    check(len(c) == 1 and c[0]["proto"] == "udp" and c[0]["state"] == "UNCONN"
          and c[0]["local_port"] == int(rep["udp_port"]), f"udp socket: {c}")
    c = find(int(rep["unix_fd"]))
    check(len(c) == 1 and c[0]["proto"] == "unix" and c[0]["state"] == "LISTEN"
          and c[0]["path"] == rep["unix_path"], f"unix socket: {c}")
    for c in conns:  # every listed socket is one of the process's descriptors
        check(byfd.get(c["fd"], {}).get("target") == f"socket:[{c['inode']}]",
              f"connection fd {c['fd']} inode {c['inode']}")

    if ss:
        check_ss(conns, pid, ss)

    # limits
    lim = {l["name"]: l for l in d["limits"]["list"]}
    kl = proc_limits(pid)
    check(len(lim) == len(kl), f"{len(lim)} limits, /proc has {len(kl)}")
    for name, (soft, hard) in kl.items():
        l = lim.get(name)
        if check(l is not None, f"limit {name} missing"):
            check(limit_text(l["soft"]) == soft and limit_text(l["hard"]) == hard,
                  f"limit {name}: {l['soft']}/{l['hard']} != {soft}/{hard}")
    nofile = lim.get("Max open files", {})
    check(nofile.get("resource") == "nofile" and nofile.get("soft") == 64
          and nofile.get("hard") == 128, f"RLIMIT_NOFILE {nofile}")
    check(any(l["soft"] == "unlimited" for l in lim.values()), "no limit spelled unlimited")

    # children
    kids = {c["pid"]: c["name"] for c in d["children"]["list"]}
    check(kids.get(int(rep["child"])) == "dt-child", f"children {kids}")
    check(kids.get(int(rep["zombie"])) == "dt-zombie", f"zombie child not listed: {kids}")


def ss_endpoint(text):
    addr, port = text.rsplit(":", 1)
    return addr.strip("[]"), port


def check_ss(conns, pid, ss):
    """ss -tanpH / -uanpH / -xapH lines of this pid against our connections."""
    ss_tcp, ss_udp, ss_unix = ss
    names = {"ESTAB": "ESTABLISHED", "TIME-WAIT": "TIME_WAIT", "CLOSE-WAIT": "CLOSE_WAIT",
             "SYN-SENT": "SYN_SENT", "SYN-RECV": "SYN_RECV", "FIN-WAIT-1": "FIN_WAIT1",
             "FIN-WAIT-2": "FIN_WAIT2", "LAST-ACK": "LAST_ACK"}
    want = set()
    for proto, path in (("tcp", ss_tcp), ("udp", ss_udp)):
        with open(path) as f:
            for line in f:
                if f"pid={pid}," not in line:
                    continue
                cols = line.split()
                state = names.get(cols[0], cols[0])
                laddr, lport = ss_endpoint(cols[3])
                # our fd for it: the "pid=PID,fd=N" pair
                seg = line[line.index(f"pid={pid},") :]
                fd = int(seg.split("fd=")[1].split(")")[0])
                want.add((proto, state, laddr, int(lport), fd))
    got = {(c["proto"], c["state"], c["local_address"], c["local_port"], c["fd"])
           for c in conns if c["proto"] in ("tcp", "udp")}
    check(want == got, f"ss sees {sorted(want)}, vigil {sorted(got)}")
    upaths = set()
    with open(ss_unix) as f:
        for line in f:
            if f"pid={pid}," in line:
                cols = line.split()
                seg = line[line.index(f"pid={pid},") :]
                fd = int(seg.split("fd=")[1].split(")")[0])
                if cols[4] != "*":
                    upaths.add((cols[4], fd))
    ours = {(c["path"], c["fd"]) for c in conns if c["proto"] == "unix" and c["path"]}
    check(upaths == ours, f"ss -x sees {sorted(upaths)}, vigil {sorted(ours)}")


def check_nobody(d, pid, rep):
    """uid 65534 reading a root process: what needs ptrace access says permission denied."""
    ident = check_identity(d, pid, rep)
    denied = "permission denied"
    check(ident["cwd"] is None and ident["cwd_error"] == denied, f"cwd {ident['cwd_error']}")
    check(ident["exe"] is None and ident["exe_error"] == denied, f"exe {ident['exe_error']}")
    check(d["files"]["error"] == denied and d["files"]["count"] is None, f"files {d['files']['error']}")
    check(d["connections"]["error"] == denied, f"connections {d['connections']['error']}")
    check(d["io"]["error"] == denied and d["io"]["read_bytes"] is None, f"io {d['io']['error']}")
    check(d["memory"]["maps_error"] == denied, f"maps {d['memory']['maps_error']}")
    # world-readable files still answer
    check(d["memory"]["rss"] is not None and d["memory"]["error"] is None, "status not read")
    check(d["limits"]["error"] is None and len(d["limits"]["list"]) >= 16, "limits not read")
    check(d["cpu"]["threads"] == 4, "threads")
    check(len(ident["cmdline"]) == 2, f"cmdline {ident['cmdline']}")


def check_zombie(d, pid, rep):
    z = d["zombie"]
    parent = int(rep["pid"])
    if not check(z is not None, "zombie is null for a zombie"):
        return
    check(z["parent_pid"] == parent, f"zombie parent {z['parent_pid']} != {parent}")
    check(z["parent_name"] == "details_target", f"zombie parent_name {z['parent_name']}")
    msg = z["message"]
    check("zombie" in msg and "parent" in msg and str(parent) in msg, f"message: {msg}")
    ident = d["identity"]
    check(ident["state"] == "Z" and ident["name"] == "dt-zombie", f"identity {ident['state']}")
    gone = "not available: the process is a zombie"
    check(ident["cwd_error"] == gone and ident["exe_error"] == gone, "cwd/exe of a zombie")
    check(d["files"]["error"] == gone, f"files of a zombie: {d['files']['error']}")
    check(d["memory"]["maps_error"] == gone, "maps of a zombie")
    check(d["limits"]["error"] is None, "a zombie's limits are still known")


def main():
    mode, rep_path, jsonl = sys.argv[1:4]
    ss = sys.argv[4:7] if len(sys.argv) >= 7 else None
    rep = report(rep_path)
    snaps = snapshots(jsonl)
    pid = int(rep["zombie"]) if mode == "zombie" else int(rep["pid"])
    check(len(snaps) >= 1, "no snapshot")
    for snap in snaps:
        p = proc_of(snap, pid)
        if not check(p is not None, f"pid {pid} not in the snapshot"):
            continue
        check(len(snap["processes"]) == 1, "--pid listed other processes")
        d = p.get("details")
        if not check(d is not None, "no details object"):
            continue
        if mode == "root":
            check_full(d, pid, rep, ss)
        elif mode == "nobody":
            check_nobody(d, pid, rep)
        else:
            check_zombie(d, pid, rep)
    for f in fails:
        print("FAIL:", f)
    print(f"{mode}: {len(fails)} failed facts over {len(snaps)} snapshot(s)")
    sys.exit(1 if fails else 0)


if __name__ == "__main__":
    main()
