#!/bin/bash
# Acceptance: the process object of `vigil --batch --format json` for the processes the
# foundation issue names, each checked against /proc, ps(1) and ionice(1): a zombie, a
# kernel thread, `a b) (c` set with prctl, 8 threads, nice 7, I/O classes idle, best-effort
# 5 and realtime 2, an effective uid that differs from the real one, a process on a pts;
# and for every process listed, rss/vms/shared against statm, start_time against stat and
# btime, io null exactly where /proc/PID/io cannot be read.
set -u
: "${VIGIL:?} ${HELPERS:?}"
exec python3 - "$VIGIL" "$HELPERS" <<'EOF'
import atexit, ctypes, json, os, pty, subprocess, sys, time

vigil, helpers = sys.argv[1], sys.argv[2]
fails = []
def fail(msg):
    fails.append(msg)

libc = ctypes.CDLL(None, use_errno=True)
PR_SET_CHILD_SUBREAPER = 36
libc.prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0)  # PID 1 here does not reap orphans
root = os.geteuid() == 0
kids = []

@atexit.register
def cleanup():  # also when a check raises: kill and reap everything spawned
    for p in kids:
        p.kill()
    try:
        while True:
            os.wait()
    except ChildProcessError:
        pass

def spawn(args, **kw):
    p = subprocess.Popen(args, stdout=subprocess.PIPE, stdin=subprocess.DEVNULL, **kw)
    kids.append(p)
    return p

def ready(p):
    if p.stdout.readline().strip() != b"ready":
        fail(f"helper {p.args} did not start")

SLEEP = [f"{helpers}/hostile_comm", "qa-sleeper"]  # says "ready", then pauses

zombie = os.fork()
if zombie == 0:
    os._exit(0)
renamed = spawn([f"{helpers}/hostile_comm", "a b) (c"])
threads = spawn([sys.executable, "-c",
                 "import threading, time\n"
                 "for _ in range(7): threading.Thread(target=time.sleep, args=(300,), daemon=True).start()\n"
                 "print('ready', flush=True); time.sleep(300)"])
niced = spawn(SLEEP, preexec_fn=lambda: os.nice(7))
io_idle = spawn(["ionice", "-c", "3"] + SLEEP)
io_be = spawn(["ionice", "-c", "2", "-n", "5"] + SLEEP)
io_rt = spawn(["ionice", "-c", "1", "-n", "2"] + SLEEP) if root else None
euid = spawn(SLEEP, preexec_fn=lambda: os.setresuid(0, 65534, 0)) if root else None
for p in [renamed, threads, niced, io_idle, io_be, io_rt, euid]:
    if p is not None:
        ready(p)
tty_pid, tty_fd = pty.fork()
if tty_pid == 0:
    os.execv(SLEEP[0], SLEEP)
os.read(tty_fd, 64)  # "ready" through the terminal
deadline = time.time() + 5
while time.time() < deadline:  # the zombie has exited once its state says so
    with open(f"/proc/{zombie}/stat", "rb") as f:
        if f.read().rsplit(b")", 1)[1].split()[0] == b"Z":
            break
    time.sleep(0.02)

out = subprocess.run([vigil, "--batch", "--format", "json", "-d", "0.2"], capture_output=True)
if out.returncode != 0 or out.stderr:
    fail(f"vigil exited {out.returncode}: {out.stderr!r}")
snap = json.loads(out.stdout.decode("utf-8", "strict"))
procs = {p["pid"]: p for p in snap["processes"]}

def proc(pid, what):
    p = procs.get(pid)
    if p is None:
        fail(f"{what} (pid {pid}) is not listed")
    return p

def expect(pid, what, **want):
    p = proc(pid, what)
    for k, v in (want.items() if p else []):
        if p[k] != v:
            fail(f"{what} (pid {pid}): {k} is {p[k]!r}, want {v!r}")

expect(zombie, "zombie", state="Z", zombie=True, kernel_thread=False, cmdline=[], ppid=os.getpid())
expect(renamed.pid, "renamed", name="a b) (c", state="S", threads=1,
       cmdline=[f"{helpers}/hostile_comm", "a b) (c"])
expect(threads.pid, "8 threads", threads=8)
expect(niced.pid, "nice 7", nice=7, priority=27)
expect(io_idle.pid, "ionice -c3", ionice={"class": "idle", "level": None})
expect(io_be.pid, "ionice -c2 -n5", ionice={"class": "best-effort", "level": 5})
if io_rt:
    expect(io_rt.pid, "ionice -c1 -n2", ionice={"class": "realtime", "level": 2})
if euid:
    expect(euid.pid, "setresuid(0, 65534, 0)", uid=65534,
           user=__import__("pwd").getpwuid(65534).pw_name)
ps_tty = subprocess.run(["ps", "-o", "tty=", "-p", str(tty_pid)], capture_output=True,
                        text=True).stdout.strip()
expect(tty_pid, "process on a pts", tty=ps_tty)
if not ps_tty.startswith("pts/"):
    fail(f"ps says the pty child is on {ps_tty!r}")

# Every process: kernel threads as the kernel flags them, memory as statm, start time as
# stat and btime say, io null exactly where it cannot be read. Only processes that still
# exist with the same start time afterwards are judged (the others may have changed).
PF_KTHREAD = 0x00200000
mine = {p.pid for p in kids} | {tty_pid}
page = os.sysconf("SC_PAGESIZE")
hz = os.sysconf("SC_CLK_TCK")
btime = next(int(l.split()[1]) for l in open("/proc/stat") if l.startswith("btime "))
judged = kthreads = 0
for pid, p in procs.items():
    try:
        with open(f"/proc/{pid}/stat", "rb") as f:  # comm may hold any byte
            st = f.read().rsplit(b")", 1)[1].decode().split()
        with open(f"/proc/{pid}/statm") as f:
            statm = [int(x) * page for x in f.read().split()[:3]]
    except OSError:
        continue
    start = btime + int(st[19]) / hz
    if abs(p["start_time"] - start) > 1.0:
        continue  # not the same process any more (or a clock step): not judged
    judged += 1
    kt = bool(int(st[6]) & PF_KTHREAD)
    kthreads += kt
    if p["kernel_thread"] != kt:
        fail(f"pid {pid} {p['name']!r}: kernel_thread {p['kernel_thread']}, flags say {kt}")
    if kt and (p["cmdline"] != [] or p["exe"] is not None):
        fail(f"kernel thread {pid}: cmdline {p['cmdline']} exe {p['exe']!r}")
    if pid in mine:  # our own helpers sleep: their memory does not move
        for k, v in zip(("vms", "rss", "shared"), statm):
            if abs(p[k] - v) > 4 * page:
                fail(f"pid {pid} {p['name']!r}: {k} {p[k]} but statm says {v}")
    try:
        with open(f"/proc/{pid}/io") as f:
            io_read = int(next(l for l in f if l.startswith("read_bytes:")).split()[1])
        if p["io_read_bytes"] is None or p["io_read_bytes"] > io_read:
            fail(f"pid {pid}: io_read_bytes {p['io_read_bytes']}, /proc says {io_read}")
    except PermissionError:
        if p["io_read_bytes"] is not None or p["io_write_bytes"] is not None:
            fail(f"pid {pid}: /proc/{pid}/io unreadable but io is "
                 f"{p['io_read_bytes']}/{p['io_write_bytes']}")
    except OSError:
        pass
if judged < 5:
    fail(f"only {judged} processes could be judged")
if kthreads == 0 and os.path.exists("/proc/2/stat"):
    fail("no kernel thread found to judge")

os.kill(tty_pid, 9)
for f in fails[:30]:
    print("FAIL:", f)
print("PASS" if not fails else f"{len(fails)} failures")
sys.exit(1 if fails else 0)
EOF
