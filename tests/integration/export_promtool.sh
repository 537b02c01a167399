#!/usr/bin/env bash
# `vigil --export prometheus` over HTTP on loopback: /metrics passes `promtool check
# metrics` and agrees with the kernel; HEAD, 404, 405; data refreshed every --delay;
# --export-processes; IPv6; port in use exits 1; bad --listen exits 2; SIGTERM/SIGINT 0.
set -euo pipefail
: "${VIGIL:?VIGIL must name the vigil binary}"

if ! command -v promtool >/dev/null; then
    echo "FAIL: promtool not found (Debian package prometheus; scripts/deps.sh test installs it)"
    exit 1
fi

tmp=$(mktemp -d)
pids=()
cleanup() {
    for p in "${pids[@]}"; do
        kill "$p" 2>/dev/null || true
        wait "$p" 2>/dev/null || true
    done
    rm -rf "$tmp"
}
trap cleanup EXIT

fails=0
fail() {
    echo "FAIL: $*"
    fails=$((fails + 1))
}
ok() { echo "ok: $*"; }

free_port() {
    python3 -c 'import socket,sys; s=socket.socket(socket.AF_INET6 if sys.argv[1]=="6" else socket.AF_INET); s.bind(("::1" if sys.argv[1]=="6" else "127.0.0.1",0)); print(s.getsockname()[1])' "${1:-4}"
}

# wait_http URL: until it answers (10 s at most)
wait_http() {
    for _ in $(seq 100); do
        curl -gsf -o /dev/null "$1" && return 0
        sleep 0.1
    done
    return 1
}

# start_vigil NAME ARGS...: runs vigil in the background, its pid in $last_pid
start_vigil() {
    local name=$1
    shift
    "$VIGIL" "$@" >"$tmp/$name.out" 2>"$tmp/$name.err" &
    last_pid=$!
    pids+=("$last_pid")
}

# stop_vigil PID SIGNAL: sends it and checks the exit status is 0 within 5 s
stop_vigil() {
    local pid=$1 sig=$2 rc=0
    kill -s "$sig" "$pid"
    for _ in $(seq 50); do
        kill -0 "$pid" 2>/dev/null || break
        sleep 0.1
    done
    if kill -0 "$pid" 2>/dev/null; then
        fail "vigil did not stop within 5 s of SIG$sig"
        return
    fi
    wait "$pid" || rc=$?
    local p keep=()
    for p in "${pids[@]}"; do [ "$p" = "$pid" ] || keep+=("$p"); done
    pids=("${keep[@]}") # reaped: never signal a pid that may be reused
    [ "$rc" -eq 0 ] && ok "SIG$sig: exit 0" || fail "SIG$sig: exit $rc (expected 0)"
}

# A process with a hostile name (quote, backslash, newline, invalid UTF-8, parentheses)
# and three zombie children of it; on SIGTERM it reaps them (PID 1 here does not).
python3 - "$tmp/helper.ready" <<'EOF' &
import os, signal, sys, time
open("/proc/self/comm", "wb").write(b'vt"\\\n\xff(x) y')
kids = []
for _ in range(3):
    pid = os.fork()
    if pid == 0:
        os._exit(0)
    kids.append(pid)
def reap(*_):
    for k in kids:
        os.waitpid(k, 0)
    os._exit(0)
signal.signal(signal.SIGTERM, reap)
time.sleep(0.2)  # the children are zombies by now
open(sys.argv[1], "w").write(str(os.getpid()))
time.sleep(120)
reap()
EOF
helper_pid=$!
pids+=("$helper_pid")
for _ in $(seq 50); do [ -s "$tmp/helper.ready" ] && break; sleep 0.1; done

port=$(free_port)
base="http://127.0.0.1:$port"
start_vigil main --export prometheus --listen "127.0.0.1:$port" -d 0.5
main_pid=$last_pid
if ! wait_http "$base/metrics"; then
    cat "$tmp/main.err"
    echo "FAIL: vigil --export did not answer on $base/metrics"
    exit 1
fi

# --- GET /metrics: status, content type, promtool -------------------------------------
code=$(curl -s -D "$tmp/headers" -o "$tmp/m1" -w '%{http_code}' "$base/metrics")
[ "$code" = 200 ] && ok "GET /metrics 200" || fail "GET /metrics answered $code"
grep -qi '^Content-Type: text/plain; version=0.0.4; charset=utf-8' "$tmp/headers" &&
    ok "content type 0.0.4" || fail "content type: $(grep -i content-type "$tmp/headers")"
if promtool check metrics <"$tmp/m1" >"$tmp/promtool.out" 2>&1; then
    ok "promtool check metrics"
else
    fail "promtool check metrics: $(head -5 "$tmp/promtool.out")"
fi

# --- values agree with the kernel ------------------------------------------------------
python3 - "$tmp/m1" <<'EOF' || fails=$((fails + 1))
import os, re, sys

samples = {}
families = {}
for line in open(sys.argv[1], encoding="utf-8"):
    line = line.rstrip("\n")
    if line.startswith("# TYPE "):
        _, _, name, typ = line.split(" ")
        families[name] = typ
        continue
    if not line or line.startswith("#"):
        continue
    key, value = line.rsplit(" ", 1)
    samples[key] = float(value)

bad = []
def check(cond, what):
    print(("ok: " if cond else "FAIL: ") + what)
    if not cond:
        bad.append(what)

expected = {
    "vigil_cpu_seconds_total": "counter", "vigil_cpu_cores": "gauge",
    "vigil_memory_bytes": "gauge", "vigil_swap_bytes": "gauge", "vigil_load1": "gauge",
    "vigil_load5": "gauge", "vigil_load15": "gauge", "vigil_boot_time_seconds": "gauge",
    "vigil_processes": "gauge", "vigil_network_up": "gauge", "vigil_network_running": "gauge",
    "vigil_network_mtu_bytes": "gauge", "vigil_network_info": "gauge",
    "vigil_network_address_info": "gauge",
}
for d in ("receive", "transmit"):
    for k in ("bytes", "packets", "errors", "drop"):
        expected["vigil_network_%s_%s_total" % (d, k)] = "counter"
for name, typ in expected.items():
    check(families.get(name) == typ, "family %s is a %s" % (name, typ))
check("vigil_process_cpu_seconds_total" not in families, "no per-process series by default")

check(samples.get('vigil_cpu_cores{kind="logical"}') == os.cpu_count(),
      "vigil_cpu_cores{kind=\"logical\"} == %d" % os.cpu_count())
meminfo = dict(l.split(":", 1) for l in open("/proc/meminfo"))
memtotal = int(meminfo["MemTotal"].split()[0]) * 1024
check(samples.get('vigil_memory_bytes{kind="total"}') == memtotal, "memory total == MemTotal")
btime = next(int(l.split()[1]) for l in open("/proc/stat") if l.startswith("btime "))
check(abs(samples.get("vigil_boot_time_seconds", 0) - btime) <= 1, "boot time == btime")
states = ["running", "sleeping", "disk_sleep", "zombie", "stopped", "idle", "other"]
for st in states:
    check('vigil_processes{state="%s"}' % st in samples, "vigil_processes{state=%s}" % st)
nproc = sum(samples.get('vigil_processes{state="%s"}' % st, 0) for st in states)
live = sum(1 for d in os.listdir("/proc") if d.isdigit())
# other test suites may fork busily meanwhile: the count is close, not equal
check(0.5 * live - 20 <= nproc <= 1.5 * live + 20, "process count %d ~ /proc %d" % (nproc, live))
check(samples.get('vigil_processes{state="zombie"}', 0) >= 3,
      "the helper's 3 zombies are counted (%s)" % samples.get('vigil_processes{state="zombie"}'))
for iface in os.listdir("/sys/class/net"):
    up = samples.get('vigil_network_up{interface="%s"}' % iface)
    flags = int(open("/sys/class/net/%s/flags" % iface).read(), 16)
    check(up == (flags & 1), "vigil_network_up{interface=%s} == IFF_UP" % iface)
    mtu = int(open("/sys/class/net/%s/mtu" % iface).read())
    check(samples.get('vigil_network_mtu_bytes{interface="%s"}' % iface) == mtu, "mtu of %s" % iface)
check(samples.get('vigil_network_running{interface="lo"}') == 1, "lo running")
check(any(k.startswith('vigil_network_address_info{interface="lo",family="inet",address="127.0.0.1"')
          for k in samples), "lo has 127.0.0.1 in vigil_network_address_info")
check(not any(k.startswith('vigil_network_speed_bytes{interface="lo"') for k in samples),
      "no speed sample for lo (unknown speed)")
cpus = {m.group(1) for k in samples for m in [re.match(r'vigil_cpu_seconds_total\{cpu="(\d+)"', k)] if m}
check(len(cpus) == os.cpu_count(), "cpu seconds for %d cpus" % len(cpus))
sys.exit(1 if bad else 0)
EOF

# --- HEAD, 404, 405 --------------------------------------------------------------------
code=$(curl -s -I -o "$tmp/head" -w '%{http_code}' "$base/metrics")
[ "$code" = 200 ] && grep -qi '^Content-Type: text/plain; version=0.0.4' "$tmp/head" &&
    ok "HEAD /metrics 200" || fail "HEAD /metrics answered $code"
for path in / /metric /metrics/ /metrics/x /favicon.ico "/%00" /../metrics; do
    code=$(curl -s --path-as-is -o /dev/null -w '%{http_code}' "$base$path")
    [ "$code" = 404 ] && ok "GET $path 404" || fail "GET $path answered $code (expected 404)"
done
for method in POST PUT DELETE PATCH OPTIONS; do
    code=$(curl -s -X "$method" -D "$tmp/h405" -o /dev/null -w '%{http_code}' "$base/metrics")
    if [ "$code" = 405 ] && grep -qi '^Allow: GET, HEAD' "$tmp/h405"; then
        ok "$method /metrics 405 with Allow"
    else
        fail "$method /metrics answered $code (expected 405 with Allow: GET, HEAD)"
    fi
done

# --- freshness: data no older than --delay ---------------------------------------------
cpu_sum() { curl -s "$base/metrics" | awk '/^vigil_cpu_seconds_total/ {s += $2} END {printf "%.2f", s}'; }
s1=$(cpu_sum)
sleep 1.2
s2=$(cpu_sum)
if python3 -c 'import sys; sys.exit(0 if float(sys.argv[2]) > float(sys.argv[1]) + 0.3 else 1)' "$s1" "$s2"; then
    ok "cpu seconds advance between scrapes 1.2 s apart ($s1 -> $s2)"
else
    fail "metrics not refreshed: cpu seconds $s1 -> $s2 over 1.2 s with -d 0.5"
fi

# --- port in use -----------------------------------------------------------------------
rc=0
timeout 10 "$VIGIL" --export prometheus --listen "127.0.0.1:$port" 2>"$tmp/inuse.err" || rc=$?
expected="vigil: cannot listen on 127.0.0.1:$port: Address already in use"
if [ "$rc" -eq 1 ] && [ "$(cat "$tmp/inuse.err")" = "$expected" ]; then
    ok "port in use: exit 1, '$expected'"
else
    fail "port in use: exit $rc, stderr '$(cat "$tmp/inuse.err")'"
fi

# --- bad --listen ----------------------------------------------------------------------
for bad in nonsense 127.0.0.1 127.0.0.1:0 127.0.0.1:65536 127.0.0.1:http 1.2.3.4.5:80 \
    '[::1]' '::1:9877' '[::1:9877' '[zz::1]:9877' ':9877' ''; do
    rc=0
    timeout 10 "$VIGIL" --export prometheus --listen "$bad" 2>"$tmp/bad.err" || rc=$?
    if [ "$rc" -eq 2 ] && grep -q '^vigil: ' "$tmp/bad.err" && [ "$(wc -l <"$tmp/bad.err")" -eq 1 ]; then
        ok "--listen '$bad': exit 2"
    else
        fail "--listen '$bad': exit $rc, stderr '$(cat "$tmp/bad.err")'"
    fi
done

# --- --export-processes N --------------------------------------------------------------
port2=$(free_port)
start_vigil procs --export prometheus --listen "127.0.0.1:$port2" -d 0.5 --export-processes 3
procs_pid=$last_pid
if wait_http "http://127.0.0.1:$port2/metrics"; then
    curl -s "http://127.0.0.1:$port2/metrics" >"$tmp/m2"
    n_cpu=$(grep -c '^vigil_process_cpu_seconds_total{pid="[0-9]*",name=".*"} ' "$tmp/m2" || true)
    n_rss=$(grep -c '^vigil_process_resident_memory_bytes{pid="[0-9]*",name=".*"} ' "$tmp/m2" || true)
    [ "$n_cpu" = 3 ] && [ "$n_rss" = 3 ] && ok "--export-processes 3: 3 series each" ||
        fail "--export-processes 3: $n_cpu cpu and $n_rss rss series"
    promtool check metrics <"$tmp/m2" >"$tmp/promtool2.out" 2>&1 &&
        ok "promtool on per-process output" || fail "promtool: $(head -3 "$tmp/promtool2.out")"
    stop_vigil "$procs_pid" INT

    # every process, so the hostile helper is among them: escaped, U+FFFD, promtool-clean
    port3=$(free_port)
    start_vigil all --export prometheus --listen "127.0.0.1:$port3" -d 0.5 \
        --export-processes 1000000
    all_pid=$last_pid
    if wait_http "http://127.0.0.1:$port3/metrics"; then
        curl -s "http://127.0.0.1:$port3/metrics" >"$tmp/m3"
        want='vigil_process_resident_memory_bytes{pid="'$helper_pid'",name="vt\"\\\n'$'\xef\xbf\xbd''(x) y"} '
        if grep -qF "$want" "$tmp/m3"; then
            ok "hostile process name escaped"
        else
            fail "hostile process name: want '$want', got '$(grep "pid=\"$helper_pid\"" "$tmp/m3")'"
        fi
        promtool check metrics <"$tmp/m3" >"$tmp/promtool3.out" 2>&1 &&
            ok "promtool on every process" || fail "promtool: $(head -3 "$tmp/promtool3.out")"
        stop_vigil "$all_pid" TERM
    else
        fail "vigil --export-processes 1000000 did not answer: $(cat "$tmp/all.err")"
    fi
else
    fail "vigil --export-processes did not answer: $(cat "$tmp/procs.err")"
fi

# --- IPv6 ------------------------------------------------------------------------------
if python3 -c 'import socket; socket.socket(socket.AF_INET6).bind(("::1", 0))' 2>/dev/null; then
    port6=$(free_port 6)
    start_vigil v6 --export prometheus --listen "[::1]:$port6" -d 0.5
    v6_pid=$last_pid
    if wait_http "http://[::1]:$port6/metrics"; then
        ok "IPv6 [::1]:$port6 answers"
        code=$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port6/metrics" || true)
        [ "$code" != 200 ] && ok "[::1] does not listen on IPv4" || fail "[::1] answered on IPv4"
    else
        fail "IPv6 listener did not answer: $(cat "$tmp/v6.err")"
    fi
    stop_vigil "$v6_pid" TERM
else
    echo "SKIP: no IPv6 loopback here; the [::1] listener is not tested"
fi

# --- SIGTERM: clean stop ---------------------------------------------------------------
stop_vigil "$main_pid" TERM
if curl -s -o /dev/null "$base/metrics"; then
    fail "still answering after SIGTERM"
fi

if [ "$fails" -ne 0 ]; then
    echo "$fails check(s) failed"
    exit 1
fi
echo "PASS: export_promtool"
