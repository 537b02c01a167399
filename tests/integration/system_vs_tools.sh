#!/bin/bash
# Host, CPU and memory as vigil reports them against the system's own tools: free(1) of
# procps (memory is defined "as free(1)"), lscpu (cores and sockets), uname, /proc/stat.
# Memory moves while the tools run, so each vigil reading is bracketed by two free(1)
# readings and only a quiet bracket (both free readings close) is judged.
set -u
: "${VIGIL:?}"
for tool in free lscpu python3; do
    command -v "$tool" >/dev/null || { echo "FAIL: $tool missing (procps, util-linux)"; exit 1; }
done
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

python3 - "$VIGIL" <<'EOF'
import json, os, subprocess, sys

vigil = sys.argv[1]
fails = []

def vigil_snapshot():
    out = subprocess.run([vigil, "--batch", "--format", "json", "-n", "1", "-d", "0.1"],
                         check=True, capture_output=True, text=True).stdout
    lines = out.splitlines()
    assert len(lines) == 1, out
    return json.loads(lines[0])

def free_b():
    """free -b as numbers: {'total':..,'used':..,'free':..,'shared':..,'buff/cache':..,
    'available':..} and the swap row."""
    rows = subprocess.run(["free", "-b"], check=True, capture_output=True,
                          text=True).stdout.splitlines()
    head = rows[0].split()
    mem = dict(zip(head, map(int, rows[1].split()[1:])))
    swap = dict(zip(["total", "used", "free"], map(int, rows[2].split()[1:])))
    return mem, swap

# --- memory: at least one quiet bracket must agree with free(1) ---
QUIET = 8 << 20    # the two free readings differ by less than this
SLACK = 32 << 20   # noise outside the bracket: vigil's own footprint while it samples (~15 MB
                   # at 10,000 processes) and page-level churn; a wrong formula is far more
judged = 0
agreed = 0
last = None
for attempt in range(25):
    m1, s1 = free_b()
    snap = vigil_snapshot()
    m2, s2 = free_b()
    mem, swap = snap["memory"], snap["swap"]
    if mem["total"] != m1["total"]:
        fails.append(f"memory total {mem['total']} != free's {m1['total']}")
        break
    if swap["total"] != s1["total"]:
        fails.append(f"swap total {swap['total']} != free's {s1['total']}")
        break
    if mem["used"] + mem["available"] != mem["total"]:
        fails.append(f"used + available != total: {mem}")
        break
    pairs = [("used", mem["used"], "used"), ("available", mem["available"], "available"),
             ("free", mem["free"], "free"), ("shared", mem["shared"], "shared"),
             ("buff/cache", mem["buffers"] + mem["cached"], "buff/cache")]
    if any(abs(m1[k] - m2[k]) >= QUIET for _, _, k in pairs):
        continue  # memory moved while we looked: not a fair comparison
    judged += 1
    bad = [(name, v, m1[k], m2[k]) for name, v, k in pairs
           if not (min(m1[k], m2[k]) - SLACK <= v <= max(m1[k], m2[k]) + SLACK)]
    last = bad
    if not bad:
        agreed += 1
        break
if not fails:
    if judged == 0:
        fails.append("memory never quiet for 25 attempts: cannot compare with free(1)")
    elif agreed == 0:
        fails.append(f"memory disagrees with free(1) in all {judged} quiet attempts, "
                     f"last: {last}")

# --- host and CPU ---
snap = vigil_snapshot()
u = os.uname()
if snap["host"]["hostname"] != u.nodename:
    fails.append(f"hostname {snap['host']['hostname']!r} != {u.nodename!r}")
if snap["host"]["kernel"] != u.release:
    fails.append(f"kernel {snap['host']['kernel']!r} != {u.release!r}")
btime = next(int(l.split()[1]) for l in open("/proc/stat") if l.startswith("btime "))
if snap["host"]["boot_time"] != btime:
    fails.append(f"boot_time {snap['host']['boot_time']} != btime {btime}")
with open("/proc/uptime") as f:
    up = float(f.read().split()[0])
if not (0 <= up - snap["host"]["uptime"] < 30):
    fails.append(f"uptime {snap['host']['uptime']} vs /proc/uptime {up}")

cpu = snap["cpu"]
lines = [l for l in subprocess.run(["lscpu", "-p=CPU,CORE,SOCKET,ONLINE"], check=True,
                                   capture_output=True, text=True).stdout.splitlines()
         if not l.startswith("#")]
online = [l.split(",") for l in lines if l.split(",")[3].upper() in ("Y", "")]
cores = {(c[2], c[1]) for c in online}
sockets = {c[2] for c in online}
if cpu["logical"] != len(online) or cpu["logical"] != os.sysconf("SC_NPROCESSORS_ONLN"):
    fails.append(f"logical {cpu['logical']} != lscpu {len(online)} online")
if cpu["physical"] != len(cores):
    fails.append(f"physical {cpu['physical']} != lscpu's {len(cores)} cores")
if cpu["sockets"] != len(sockets):
    fails.append(f"sockets {cpu['sockets']} != lscpu's {len(sockets)}")
if len(cpu["per_cpu"]) != cpu["logical"]:
    fails.append(f"{len(cpu['per_cpu'])} per_cpu entries for {cpu['logical']} CPUs")
for c in [cpu["total"]] + cpu["per_cpu"]:
    modes = ["user", "nice", "system", "idle", "iowait", "irq", "softirq", "steal"]
    if any(c[m] is None for m in modes):
        fails.append(f"a percentage is null after the priming sample: {c}")
        break
    total = sum(c[m] for m in modes)
    if abs(total - 100) > 0.01 or not all(0 <= c[m] <= 100 for m in modes):
        fails.append(f"percentages do not add up to 100: {c}")
    if abs(c["busy"] - (100 - c["idle"] - c["iowait"])) > 0.01:
        fails.append(f"busy != 100 - idle - iowait: {c}")

for f in fails:
    print("FAIL:", f)
sys.exit(1 if fails else 0)
EOF
