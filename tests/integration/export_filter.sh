#!/usr/bin/env bash
# `--export-processes N` with -p and -u: the per-process series are the busiest of the
# processes those options choose, while the machine-wide families count every process.
set -u
: "${VIGIL:?VIGIL must name the vigil binary}"

tmp=$(mktemp -d)
pids=()
cleanup() {
    for p in "${pids[@]}"; do kill "$p" 2>/dev/null; done
    wait 2>/dev/null
    rm -rf "$tmp"
}
trap cleanup EXIT
fail=0
bad() { echo "FAIL: $*"; fail=1; }
port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
# get PORT: one scrape's body
get() {
    python3 - "$1" <<'PY' 2>/dev/null
import sys, urllib.request
print(urllib.request.urlopen("http://127.0.0.1:%s/metrics" % sys.argv[1], timeout=2).read().decode())
PY
}
# scrape ARGS...: runs the exporter with ARGS, prints a scrape's body from its second sample
scrape() {
    local p body=""
    p=$(port)
    "$VIGIL" --export prometheus --listen "127.0.0.1:$p" -d 0.3 "$@" 2>>"$tmp/err" &
    local v=$!
    for _ in $(seq 50); do
        body=$(get "$p") && grep -q '^vigil_processes{' <<<"$body" && break
        sleep 0.2
    done
    sleep 0.5
    body=$(get "$p")
    kill "$v"
    wait "$v" 2>/dev/null
    printf '%s\n' "$body"
}
series_pids() { sed -n 's/^vigil_process_cpu_seconds_total{pid="\([0-9]*\)".*/\1/p' | sort -n | tr '\n' ' '; }

sleep 600 &
mine=$!
pids+=("$mine")

body=$(scrape --export-processes 5 -p "$mine,1")
grep -q '^vigil_processes{state="sleeping"}' <<<"$body" || bad "-p: no machine-wide process counts"
total=$(sed -n 's/^vigil_processes{state="sleeping"} \([0-9]*\)$/\1/p' <<<"$body")
[ "${total:-0}" -gt 2 ] || bad "-p: machine-wide counts cover only the chosen processes ($total)"
got=$(series_pids <<<"$body")
want=$(printf '%s\n' 1 "$mine" | sort -n | tr '\n' ' ')
[ "$got" = "$want" ] || bad "-p $mine,1: per-process series for '$got', want '$want'"

if [ "$(id -u)" = 0 ] && id nobody >/dev/null 2>&1; then
    setpriv --reuid=nobody --regid=nogroup --clear-groups sleep 600 &
    theirs=$!
    pids+=("$theirs")
    sleep 0.2
    # every one of nobody's processes (other tests may run busier ones as nobody)
    body=$(scrape --export-processes 100000 -u nobody)
    got=$(series_pids <<<"$body")
    grep -qw "$theirs" <<<"$got" || bad "-u nobody: nobody's sleep $theirs missing from '$got'"
    grep -qw "$mine" <<<"$got" && bad "-u nobody: root's sleep $mine listed"
    for p in $got; do
        owner=$(stat -c %u "/proc/$p" 2>/dev/null) || continue # gone since the scrape
        [ "$owner" = "$(id -u nobody)" ] || bad "-u nobody: pid $p belongs to uid $owner"
    done
else
    echo "SKIP: the -u part needs root (to start a process as nobody)"
fi

[ "$fail" = 0 ] && echo "PASS: export_filter"
[ "$fail" = 0 ] || { echo "--- vigil stderr"; cat "$tmp/err"; }
exit $fail
