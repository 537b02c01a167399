#!/usr/bin/env bash
# Hostile clients against `vigil --export prometheus` on loopback: silent connections held
# open, a 1 MiB header, 100 parallel clients, garbage bytes, a slowloris-style trickle.
# While each runs, an ordinary GET /metrics must answer 200 within one second; silent
# clients must be dropped by the server's timeout. Bounded in count and time.
set -euo pipefail
: "${VIGIL:?VIGIL must name the vigil binary}"

tmp=$(mktemp -d)
vpid=
cleanup() {
    if [ -n "$vpid" ]; then
        kill "$vpid" 2>/dev/null || true
        wait "$vpid" 2>/dev/null || true
    fi
    rm -rf "$tmp"
}
trap cleanup EXIT

port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
"$VIGIL" --export prometheus --listen "127.0.0.1:$port" -d 0.5 2>"$tmp/err" &
vpid=$!

python3 - "$port" "$vpid" <<'EOF'
import os, socket, sys, threading, time, urllib.request

PORT = int(sys.argv[1])
VPID = int(sys.argv[2])
URL = "http://127.0.0.1:%d/metrics" % PORT
failures = []


def fail(msg):
    failures.append(msg)
    print("FAIL:", msg, flush=True)


def get(timeout=5.0):
    """One ordinary scrape: (status, seconds, body)."""
    t0 = time.monotonic()
    with urllib.request.urlopen(URL, timeout=timeout) as r:
        body = r.read()
        return r.status, time.monotonic() - t0, body


def probe_prompt(phase):
    """The contract: other clients' /metrics still answer promptly."""
    try:
        status, took, body = get(timeout=3.0)
    except Exception as e:  # noqa: BLE001 - any failure is the finding
        fail("%s: GET /metrics failed: %r" % (phase, e))
        return
    if status != 200 or b"vigil_cpu_cores" not in body:
        fail("%s: GET /metrics answered %d without metrics" % (phase, status))
    elif took >= 1.0:
        fail("%s: GET /metrics took %.2f s" % (phase, took))
    else:
        print("%-22s GET /metrics 200 in %.3f s" % (phase, took), flush=True)


def connect():
    s = socket.create_connection(("127.0.0.1", PORT), timeout=5)
    return s


# the exporter is up once a scrape answers
deadline = time.monotonic() + 20
while True:
    try:
        get(timeout=1.0)
        break
    except Exception:
        if time.monotonic() > deadline:
            print("FAIL: vigil never answered on port %d" % PORT)
            sys.exit(1)
        try:
            os.kill(VPID, 0)
        except ProcessLookupError:
            print("FAIL: vigil exited before answering")
            sys.exit(1)
        time.sleep(0.1)
probe_prompt("idle")

# 1. silent connections: connect and say nothing
silent = [connect() for _ in range(40)]
silent_since = time.monotonic()
probe_prompt("40 silent held")

# 2. a 1 MiB header: refused (431/413/400) or cut off, never a 200
s = connect()
reply = b""
try:
    s.sendall(b"GET /metrics HTTP/1.1\r\nHost: x\r\nX-Big: " + b"a" * (1 << 20) + b"\r\n\r\n")
except OSError:
    pass  # the server closed on us mid-header: refused
try:
    reply = s.recv(100)
except OSError:
    pass
s.close()
status_line = reply.split(b"\r\n", 1)[0]
print("1 MiB header answer:", status_line or b"(connection closed)", flush=True)
if b" 200 " in status_line:
    fail("a 1 MiB header was accepted: %r" % status_line)
if status_line and not status_line.split(b" ")[1].startswith(b"4"):
    fail("a 1 MiB header got %r, expected a 4xx" % status_line)
probe_prompt("after 1 MiB header")

# 3. 100 parallel clients, all answered
results = []
lock = threading.Lock()


def one_client():
    try:
        status, took, body = get(timeout=10.0)
        ok = status == 200 and body.startswith(b"# HELP")
    except Exception as e:  # noqa: BLE001
        ok, took = False, repr(e)
    with lock:
        results.append((ok, took))


threads = [threading.Thread(target=one_client) for _ in range(100)]
t0 = time.monotonic()
for t in threads:
    t.start()
probe_prompt("100 parallel running")
for t in threads:
    t.join(timeout=20)
bad = [r for r in results if not r[0]]
print("100 parallel clients: %d answered 200 in %.2f s" % (len(results) - len(bad), time.monotonic() - t0),
      flush=True)
if len(results) != 100 or bad:
    fail("parallel clients: %d results, failures %r" % (len(results), bad[:3]))

# 4. garbage bytes: the server answers 4xx or closes, and keeps serving
for i in range(5):
    s = connect()
    try:
        s.sendall(os.urandom(2048) + b"\r\n\r\n")
        reply = s.recv(100)
    except OSError:
        reply = b""
    s.close()
    if b" 200 " in reply.split(b"\r\n", 1)[0]:
        fail("garbage got a 200: %r" % reply[:40])
s = connect()
s.sendall(b"\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03" + b"\x00" * 64)  # a TLS hello
try:
    s.recv(100)
except OSError:
    pass
s.close()
probe_prompt("after garbage")

# 5. slowloris: 20 clients trickle a request one byte at a time for 3 s
stop = threading.Event()


def trickle():
    try:
        s = connect()
        for b in b"GET /metrics HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: " + b"z" * 100:
            if stop.is_set():
                break
            s.sendall(bytes([b]))
            time.sleep(0.1)
        s.close()
    except OSError:
        pass  # dropped by the server: fine


tricklers = [threading.Thread(target=trickle) for _ in range(20)]
for t in tricklers:
    t.start()
for i in range(6):
    time.sleep(0.5)
    probe_prompt("slowloris %d/6" % (i + 1))
stop.set()
for t in tricklers:
    t.join(timeout=5)

# 6. the silent connections are dropped by the server's idle timeout (10 s)
wait = silent_since + 13 - time.monotonic()
if wait > 0:
    time.sleep(wait)
closed = 0
for s in silent:
    s.settimeout(2)
    try:
        if s.recv(1) == b"":
            closed += 1
    except ConnectionResetError:
        closed += 1
    except socket.timeout:
        pass
    s.close()
print("silent connections closed by the server: %d/40" % closed, flush=True)
if closed != 40:
    fail("only %d of 40 silent connections were timed out" % closed)
probe_prompt("end")

try:
    os.kill(VPID, 0)
except ProcessLookupError:
    fail("vigil died")
if failures:
    print("%d failures" % len(failures))
    sys.exit(1)
print("all hostile-client checks passed")
EOF

kill -TERM "$vpid"
rc=0
wait "$vpid" || rc=$?
vpid=
if [ "$rc" -ne 0 ]; then
    echo "FAIL: vigil exited $rc after SIGTERM"
    cat "$tmp/err"
    exit 1
fi
echo "PASS: export_hostile"
