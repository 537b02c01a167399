#!/usr/bin/env bash
# A real Prometheus server on loopback scrapes `vigil --export prometheus` every second:
# the target comes up (up{job="vigil"} == 1), the scrape has no errors, and vigil's
# metrics read back through Prometheus' HTTP API agree with the machine.
set -euo pipefail
: "${VIGIL:?VIGIL must name the vigil binary}"

if ! command -v prometheus >/dev/null; then
    echo "FAIL: prometheus not found (Debian package prometheus; scripts/deps.sh test installs it)"
    exit 1
fi

tmp=$(mktemp -d)
vpid=
ppid_=
cleanup() {
    for p in $vpid $ppid_; do
        kill "$p" 2>/dev/null || true
        wait "$p" 2>/dev/null || true
    done
    rm -rf "$tmp"
}
trap cleanup EXIT

free_port() {
    python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'
}
vport=$(free_port)
pport=$(free_port)
while [ "$pport" = "$vport" ]; do pport=$(free_port); done

"$VIGIL" --export prometheus --listen "127.0.0.1:$vport" -d 0.5 --export-processes 5 \
    2>"$tmp/vigil.err" &
vpid=$!

cat >"$tmp/prometheus.yml" <<EOF
global:
  scrape_interval: 1s
  scrape_timeout: 1s
  evaluation_interval: 1s
scrape_configs:
  - job_name: vigil
    static_configs:
      - targets: ['127.0.0.1:$vport']
EOF
mkdir "$tmp/data"
prometheus --config.file="$tmp/prometheus.yml" --storage.tsdb.path="$tmp/data" \
    --web.listen-address="127.0.0.1:$pport" --log.level=warn >"$tmp/prom.log" 2>&1 &
ppid_=$!

rc=0
python3 - "$pport" "$vpid" "$ppid_" <<'EOF' || rc=$?
import json, os, sys, time, urllib.parse, urllib.request

PPORT, VPID, PPID = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3])


def query(q):
    url = "http://127.0.0.1:%d/api/v1/query?%s" % (PPORT, urllib.parse.urlencode({"query": q}))
    with urllib.request.urlopen(url, timeout=5) as r:
        doc = json.load(r)
    assert doc["status"] == "success", doc
    return doc["data"]["result"]


def alive(pid, what):
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        print("FAIL: %s exited early" % what)
        sys.exit(1)


# Prometheus needs a few seconds to start, then one scrape interval
deadline = time.monotonic() + 90
up = None
while time.monotonic() < deadline:
    alive(VPID, "vigil")
    alive(PPID, "prometheus")
    try:
        res = query('up{job="vigil"}')
        if res:
            up = res[0]["value"][1]
            if up == "1":
                break
    except Exception:
        pass
    time.sleep(0.5)
if up != "1":
    print('FAIL: up{job="vigil"} never became 1 (last: %r)' % up)
    sys.exit(1)
print('ok: up{job="vigil"} == 1')
t_up = time.monotonic()

bad = []


def check(cond, what):
    print(("ok: " if cond else "FAIL: ") + what)
    if not cond:
        bad.append(what)


res = query('vigil_cpu_cores{kind="logical"}')
check(len(res) == 1 and float(res[0]["value"][1]) == os.cpu_count(),
      'vigil_cpu_cores{kind="logical"} == nproc (%d): %r' % (os.cpu_count(), res))
memtotal = next(int(l.split()[1]) * 1024 for l in open("/proc/meminfo") if l.startswith("MemTotal:"))
res = query('vigil_memory_bytes{kind="total"}')
check(len(res) == 1 and float(res[0]["value"][1]) == memtotal, "memory total == MemTotal")
res = query("count(vigil_processes)")
check(len(res) == 1 and res[0]["value"][1] == "7", "vigil_processes has the 7 states")
res = query('vigil_network_up{interface="lo"}')
check(len(res) == 1 and res[0]["value"][1] == "1", "lo is up")
res = query("count(vigil_process_cpu_seconds_total)")
check(len(res) == 1 and res[0]["value"][1] == "5", "--export-processes 5 gives 5 series")

# the scrape itself is healthy: samples taken, none rejected as malformed
res = query('scrape_samples_scraped{job="vigil"}')
check(len(res) == 1 and float(res[0]["value"][1]) > 50, "scrape_samples_scraped > 50: %r" % res)

# counters move: the rate of the CPU seconds of all modes is ~ nproc. The series must
# cover the whole window (rate() does not extrapolate far past a series' start), and under
# load the window may hold too few scrapes yet: retried.
time.sleep(max(0.0, t_up + 7 - time.monotonic()))
rate = float("nan")
deadline = time.monotonic() + 30
while time.monotonic() < deadline:
    res = query("sum(rate(vigil_cpu_seconds_total[5s]))")
    if res:
        rate = float(res[0]["value"][1])
        break
    time.sleep(1)
check(0.5 * os.cpu_count() <= rate <= 1.5 * os.cpu_count(),
      "sum(rate(vigil_cpu_seconds_total)) = %.2f ~ nproc %d" % (rate, os.cpu_count()))
# the target stays healthy over many scrapes (a rare scrape lost to a loaded machine is
# tolerated: the 1 s timeout is Prometheus' own, not vigil's)
res = query('avg_over_time(up{job="vigil"}[10s])')
avg = float(res[0]["value"][1]) if res else 0.0
check(avg >= 0.8, "up over the last 10 s: %.2f" % avg)
sys.exit(1 if bad else 0)
EOF
if [ "$rc" -ne 0 ]; then
    echo "--- prometheus log"; tail -20 "$tmp/prom.log"
    echo "--- vigil stderr"; cat "$tmp/vigil.err"
    exit 1
fi
echo "PASS: export_prometheus"
