"""Checks vigil's JSON processes against /proc and ioprio_get (see procs.sh).

usage: procs_check.py ZOO_JSON VIGIL_JSON STABLE_PIDS
"""
import ctypes
import json
import os
import platform
import pwd
import sys

# ioprio_get (not ioprio_set, its neighbour) per architecture
IOPRIO_GET = {"x86_64": 252, "aarch64": 31, "riscv64": 31, "i686": 290, "armv7l": 315,
              "ppc64le": 274, "s390x": 283}
CLASSES = {0: "none", 1: "realtime", 2: "best-effort", 3: "idle"}
PF_KTHREAD = 0x00200000

fails = []


def check(cond, msg):
    if not cond:
        fails.append(msg)


def read(path, mode="rb"):
    with open(path, mode) as f:
        return f.read()


def stat_of(pid):
    """comm (bytes) and a dict field number -> bytes, numbered as in proc(5)."""
    data = read(f"/proc/{pid}/stat")
    comm = data[data.index(b"(") + 1:data.rindex(b")")]
    rest = data[data.rindex(b")") + 2:].split()
    return comm, {i + 3: v for i, v in enumerate(rest)}


def euid_of(pid):
    for line in read(f"/proc/{pid}/status", "r").splitlines():
        if line.startswith("Uid:"):
            return int(line.split()[2])
    raise ValueError("no Uid line")


def user_name(uid):
    try:
        return pwd.getpwuid(uid).pw_name
    except KeyError:
        return str(uid)


def ionice_of(pid):
    nr = IOPRIO_GET.get(platform.machine())
    if nr is None:
        return "unknown-arch"
    libc = ctypes.CDLL(None, use_errno=True)
    libc.syscall.restype = ctypes.c_long
    v = libc.syscall(ctypes.c_long(nr), ctypes.c_int(1), ctypes.c_int(pid))  # WHO_PROCESS
    if v < 0:
        return "error"
    cls = v >> 13
    level = v & 7 if cls in (1, 2) else None
    return {"class": CLASSES.get(cls), "level": level}


def cmdline_of(pid):
    data = read(f"/proc/{pid}/cmdline")
    if not data:
        return []
    items = data.split(b"\0")
    if data.endswith(b"\0"):
        items.pop()  # the trailing empty item the contract drops
    return [i.decode("utf-8", "replace") for i in items]


def exe_of(pid):
    try:
        return os.readlink(f"/proc/{pid}/exe")
    except OSError:
        return None


def compare(pid, p, label, btime, clk, page):
    """Every field of p against the kernel; returns the stat fields."""
    comm, f = stat_of(pid)
    check(p["name"] == comm.decode("utf-8", "replace"), f"{label}: name {p['name']!r} vs {comm!r}")
    state = f[3].decode()
    check(p["state"] == state, f"{label}: state {p['state']} vs {state}")
    check(p["zombie"] == (state == "Z"), f"{label}: zombie flag {p['zombie']} for state {state}")
    check(p["ppid"] == int(f[4]), f"{label}: ppid {p['ppid']} vs {int(f[4])}")
    check(p["priority"] == int(f[18]), f"{label}: priority {p['priority']} vs {int(f[18])}")
    check(p["nice"] == int(f[19]), f"{label}: nice {p['nice']} vs {int(f[19])}")
    check(p["threads"] == int(f[20]), f"{label}: threads {p['threads']} vs {int(f[20])}")
    kthread = bool(int(f[9]) & PF_KTHREAD)
    check(p["kernel_thread"] == kthread, f"{label}: kernel_thread {p['kernel_thread']}")
    start = btime + int(f[22]) / clk
    check(abs(p["start_time"] - start) < 0.006,
          f"{label}: start_time {p['start_time']} vs btime + starttime/CLK_TCK = {start}")
    cpu = (int(f[14]) + int(f[15])) / clk
    check(p["cpu_time"] <= cpu + 0.006 and p["cpu_time"] >= 0,
          f"{label}: cpu_time {p['cpu_time']} vs {cpu} now")
    uid = euid_of(pid)
    check(p["uid"] == uid, f"{label}: uid {p['uid']} vs effective {uid}")
    check(p["user"] == user_name(uid), f"{label}: user {p['user']!r} vs {user_name(uid)!r}")
    want_cmd = [] if (state == "Z" or kthread) else cmdline_of(pid)
    check(p["cmdline"] == want_cmd, f"{label}: cmdline {p['cmdline']!r} vs {want_cmd!r}")
    want_exe = None if (state == "Z" or kthread) else exe_of(pid)
    check(p["exe"] == want_exe, f"{label}: exe {p['exe']!r} vs {want_exe!r}")
    return f


def main():
    zoo = json.loads(read(sys.argv[1], "r").splitlines()[0])
    lines = [ln for ln in read(sys.argv[2], "r").splitlines() if ln.strip()]
    check(len(lines) == 1, f"{len(lines)} JSON lines for -n 1")
    snap = json.loads(lines[-1])
    stable = [int(x) for x in read(sys.argv[3], "r").split()]

    procs = {}
    for p in snap["processes"]:
        check(p["pid"] not in procs, f"pid {p['pid']} listed twice")
        procs[p["pid"]] = p
    btime = next(int(ln.split()[1]) for ln in read("/proc/stat", "r").splitlines()
                 if ln.startswith("btime "))
    clk = os.sysconf("SC_CLK_TCK")
    page = os.sysconf("SC_PAGE_SIZE")

    for kind, pid in zoo.items():
        p = procs.get(pid)
        if p is None:
            fails.append(f"{kind} (pid {pid}) not reported")
            continue
        f = compare(pid, p, f"{kind} {pid}", btime, clk, page)
        check(p["ionice"] == ionice_of(pid), f"{kind}: ionice {p['ionice']} vs {ionice_of(pid)}")
        if kind != "zoo":
            check(p["ppid"] == zoo["zoo"], f"{kind}: ppid {p['ppid']} is not the zoo")
        statm = [int(x) for x in read(f"/proc/{pid}/statm").split()]
        # idle processes: memory does not move between vigil's read and ours
        check(p["vms"] == statm[0] * page, f"{kind}: vms {p['vms']} vs {statm[0] * page}")
        check(p["rss"] == statm[1] * page, f"{kind}: rss {p['rss']} vs {statm[1] * page}")
        check(p["shared"] == statm[2] * page, f"{kind}: shared {p['shared']} vs {statm[2] * page}")
        if kind == "zombie":
            check(p["state"] == "Z" and p["zombie"] is True, "zombie: not state Z / zombie true")
            check(p["cmdline"] == [] and p["exe"] is None, "zombie: cmdline not [] / exe not null")
        elif kind == "renamed":
            check(p["name"] == "a b) (c", f"renamed: name {p['name']!r}")
        elif kind == "threads":
            check(p["threads"] == 8, f"threads: {p['threads']} threads, want 8")
            for tid in os.listdir(f"/proc/{pid}/task"):
                if int(tid) != pid:
                    check(int(tid) not in procs, f"threads: thread {tid} listed as a process")
        elif kind == "nice":
            check(p["nice"] == 7, f"nice: {p['nice']}, want 7")
        elif kind == "idle":
            check(p["ionice"] == {"class": "idle", "level": None}, f"idle: ionice {p['ionice']}")
        elif kind == "be3":
            check(p["ionice"] == {"class": "best-effort", "level": 3}, f"be3: {p['ionice']}")
        elif kind == "args":
            want = ["proc_zoo", "--sleep", p["cmdline"][2] if len(p["cmdline"]) > 2 else "?",
                    "arg with space", 'q"b\\', "\ufffd\ufffd", "tab\tnl\n", ""]
            check(p["cmdline"] == want, f"args: cmdline {p['cmdline']!r}, want {want!r}")

    # every process that existed before and after the snapshot is in it, as it is
    missing = [pid for pid in stable if pid not in procs]
    check(not missing, f"processes not reported: {missing[:20]}")
    for pid, p in procs.items():
        try:
            comm, f = stat_of(pid)
        except OSError:
            continue  # gone since
        if abs(btime + int(f[22]) / clk - p["start_time"]) >= 0.006:
            continue  # the pid belongs to a new process now
        kthread = bool(int(f[9]) & PF_KTHREAD)
        check(p["kernel_thread"] == kthread, f"pid {pid}: kernel_thread {p['kernel_thread']}")
        if kthread:
            check(p["cmdline"] == [] and p["exe"] is None, f"kernel thread {pid}: cmdline/exe")
        # names and parents of processes we did not make may change under us (an exec, a
        # parent exiting, a kworker taking other work): only the zoo's are compared

    if fails:
        for msg in fails:
            print("FAIL:", msg)
        return 1
    print(f"ok: {len(zoo)} zoo processes and {len(procs)} processes checked")
    return 0


if __name__ == "__main__":
    sys.exit(main())
