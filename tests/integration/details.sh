#!/bin/bash
# The process inspector on a real process: details_target holds a listening TCP socket on
# 127.0.0.1 (and ::1), an established loopback connection, a UDP and a UNIX socket, an
# open file, 4 threads, RLIMIT_NOFILE lowered to 64/128, a child and a zombie child.
# `vigil --batch --format json --pid PID --details` must report each of those facts as
# /proc (and ss, where installed) has them; as uid 65534 the sections that need ptrace
# access must say "permission denied"; the zombie child must be explained as a zombie.
set -u
: "${VIGIL:?} ${HELPERS:?} ${TESTS:?}"
target="$HELPERS/details_target"
check="$TESTS/integration/details_check.py"
[ -x "$target" ] || { echo "FAIL: $target not built"; exit 1; }

tmp=$(mktemp -d)
chmod 755 "$tmp"
pid=
cleanup() {
    exec 9>&- 2>/dev/null
    [ -n "$pid" ] && { kill "$pid" 2>/dev/null; wait "$pid" 2>/dev/null; }
    rm -rf "$tmp"
}
trap cleanup EXIT
fail=0

mkfifo "$tmp/ctl"
"$target" "$tmp" <"$tmp/ctl" >"$tmp/report" 2>&1 &
pid=$!
exec 9>"$tmp/ctl" # the helper runs until this closes
for _ in $(seq 100); do
    grep -qx ready "$tmp/report" 2>/dev/null && break
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.1
done
grep -qx ready "$tmp/report" || { echo "FAIL: helper not ready:"; cat "$tmp/report"; exit 1; }
cat "$tmp/report"
zombie=$(awk '$1 == "zombie" {print $2}' "$tmp/report")

# two snapshots one second apart: each has rates over a real interval
"$VIGIL" --batch --format json --pid "$pid" --details -n 2 -d 1 >"$tmp/out.jsonl" 2>"$tmp/err"
rc=$?
[ $rc = 0 ] || { echo "FAIL: vigil exited $rc: $(cat "$tmp/err")"; fail=1; }
[ -s "$tmp/err" ] && { echo "FAIL: vigil wrote to stderr: $(cat "$tmp/err")"; fail=1; }

ss_args=()
if command -v ss >/dev/null; then
    ss -tanpH >"$tmp/ss_tcp" && ss -uanpH >"$tmp/ss_udp" && ss -xapH >"$tmp/ss_unix" &&
        ss_args=("$tmp/ss_tcp" "$tmp/ss_udp" "$tmp/ss_unix")
    if ! grep -q "pid=$pid," "$tmp/ss_tcp"; then
        echo "note: ss does not show this process's sockets (no sock_diag?); not compared"
        ss_args=()
    fi
else
    echo "note: ss (iproute2) not installed; connections checked against /proc only"
fi
python3 "$check" root "$tmp/report" "$tmp/out.jsonl" "${ss_args[@]}" || fail=1

# the zombie child
"$VIGIL" --batch --format json --pid "$zombie" --details -d 0.2 >"$tmp/zombie.jsonl" 2>"$tmp/err" ||
    { echo "FAIL: vigil on the zombie: $(cat "$tmp/err")"; fail=1; }
python3 "$check" zombie "$tmp/report" "$tmp/zombie.jsonl" || fail=1

# as another user: a root process's fds, io, maps, cwd and exe are not readable
if [ "$(id -u)" = 0 ] && command -v setpriv >/dev/null; then
    setpriv --reuid=65534 --regid=65534 --clear-groups \
        "$VIGIL" --batch --format json --pid "$pid" --details -d 0.2 >"$tmp/nobody.jsonl" \
        2>"$tmp/err" || { echo "FAIL: vigil as uid 65534: $(cat "$tmp/err")"; fail=1; }
    python3 "$check" nobody "$tmp/report" "$tmp/nobody.jsonl" || fail=1
else
    echo "note: not root; the permission-denied case needs a root-owned target"
fi

# a process that is gone: it is not listed, and nothing fails
"$VIGIL" --batch --format json --pid 2147483646 --details -d 0.2 >"$tmp/gone.jsonl" ||
    { echo "FAIL: vigil on a missing pid failed"; fail=1; }
python3 -c 'import json,sys; s=json.loads(open(sys.argv[1]).read()); sys.exit(len(s["processes"]))' \
    "$tmp/gone.jsonl" || { echo "FAIL: a missing pid was listed"; fail=1; }

# usage: --details needs --format json and --pid
"$VIGIL" --batch --details --pid "$pid" >/dev/null 2>&1
[ $? = 2 ] || { echo "FAIL: --details without --format json did not exit 2"; fail=1; }
"$VIGIL" --batch --format json --details >/dev/null 2>&1
[ $? = 2 ] || { echo "FAIL: --details without --pid did not exit 2"; fail=1; }

exit $fail
