#!/bin/bash
# `vigil --batch` on the real system: JSON Lines that match the contract at every level,
# a hostile process name that round-trips, filters, the text table, sorting, and output
# errors (a closed pipe, a full disk).
set -u
: "${VIGIL:?} ${HELPERS:?} ${TESTS:?}"
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
check() { python3 "$TESTS/integration/batch_output.py" "$@" || fail=1; }

# start_helper NAME [--busy]: a process whose comm is NAME; sets $helper
start_helper() {
    "$HELPERS/hostile_comm" "$@" >"$tmp/ready" &
    helper=$!
    pids+=("$helper")
    for _ in $(seq 100); do
        grep -q ready "$tmp/ready" 2>/dev/null && return 0
        sleep 0.05
    done
    bad "helper $1 did not start"
}

# a quote, a backslash, a newline, an invalid UTF-8 byte, and the parenthesis trap
name=$'q"\\\n\xff a) (b'
start_helper "$name"
hostile=$helper
[ "$(head -c 11 "/proc/$hostile/comm" | od -An -tx1 | tr -d ' \n')" = "$(printf '%s' "$name" | od -An -tx1 | tr -d ' \n')" ] ||
    bad "the kernel did not keep the helper's name"
name_hex=$(printf '%s' "$name" | od -An -tx1 | tr -d ' \n')
start_helper busy --busy
busy=$helper

# JSON: N lines, the whole schema, the hostile name exact, the priming sample.
"$VIGIL" --batch --format json -n 2 -d 0.2 >"$tmp/json" 2>"$tmp/err"
rc=$?
[ "$rc" -eq 0 ] || bad "json batch exited $rc: $(cat "$tmp/err")"
[ -s "$tmp/err" ] && bad "json batch wrote to stderr: $(cat "$tmp/err")"
check "$tmp/json" schema 2 0.2 hostile "$hostile" "$name_hex" busy "$busy"

# A long delay does not hold back the first line: the priming sample waits a second.
start=$(date +%s.%N)
"$VIGIL" --batch --format json -d 3600 -n 1 >"$tmp/long" 2>"$tmp/long.err" || bad "-d 3600 -n 1 failed"
took=$(awk -v s="$start" -v e="$(date +%s.%N)" 'BEGIN { print e - s }')
awk -v t="$took" 'BEGIN { exit !(t < 10) }' || bad "-d 3600 -n 1 took ${took} s"
python3 -c '
import json, sys
d = json.loads(open(sys.argv[1]).readline())
sys.exit(0 if 0.9 <= d["interval"] <= 5 else 1)' "$tmp/long" || bad "-d 3600 -n 1: first interval not about 1 s: $(head -c 120 "$tmp/long")"

# Filters apply to JSON too.
"$VIGIL" -b -f json -d 0.1 -p "$hostile,1" >"$tmp/f1" || bad "-p run failed"
check "$tmp/f1" filter pids "$hostile,1"
"$VIGIL" -b -f json -d 0.1 -u root >"$tmp/f2" || bad "-u root run failed"
check "$tmp/f2" filter uid 0

# Text: top's summary lines, the column header, one row per process, escaped names.
"$VIGIL" --batch -d 0.2 >"$tmp/text" 2>"$tmp/err" || bad "text batch failed: $(cat "$tmp/err")"
python3 - "$tmp/text" "$hostile" <<'PY' || fail=1
import re, sys
lines = open(sys.argv[1], "rb").read().decode("utf-8", "strict").split("\n")
hostile = sys.argv[2]
errs = []
pats = [r"vigil - \d\d:\d\d:\d\d up .+,  load average: \d+\.\d\d, \d+\.\d\d, \d+\.\d\d",
        r"Tasks: +\d+ total, +\d+ running, +\d+ sleeping, +\d+ stopped, +\d+ zombie",
        r"%Cpu\(s\): +[\d.]+ us, +[\d.]+ sy, +[\d.]+ ni, +[\d.]+ id, +[\d.]+ wa, +[\d.]+ hi, +[\d.]+ si, +[\d.]+ st",
        r"MiB Mem : +[\d.]+ total, +[\d.]+ free, +[\d.]+ used, +[\d.]+ buff/cache",
        r"MiB Swap: +[\d.]+ total, +[\d.]+ free, +[\d.]+ used\. +[\d.]+ avail Mem",
        r"",
        r" +PID USER +PR +NI +VIRT +RES +SHR S +%CPU +%MEM +TIME\+ COMMAND"]
for i, p in enumerate(pats):
    if not re.fullmatch(p, lines[i]):
        errs.append(f"line {i} {lines[i]!r} does not match {p!r}")
row = re.compile(r" *(\d+) (.{8}) +(-?\d+|rt) +(-?\d+) +(\S+) +(\S+) +(\S+) (\S) +([\d.]+) +([\d.]+) +(\d+:\d\d\.\d\d) (.*)")
rows = [l for l in lines[7:] if l]
total = int(re.search(r"(\d+) total", lines[1]).group(1))
if len(rows) != total:
    errs.append(f"{len(rows)} rows but Tasks says {total}")
found = False
for l in rows:
    m = row.fullmatch(l)
    if not m:
        errs.append(f"row does not parse: {l!r}")
        continue
    if any(ord(c) < 0x20 or ord(c) == 0x7f for c in l):
        errs.append(f"raw control character in {l!r}")
    if m.group(1) == hostile:
        found = True
        want = 'q"\\' + "\\n" + "\\xff" + " a) (b"
        if m.group(12) != want:
            errs.append(f"hostile name drawn as {m.group(12)!r}, want {want!r}")
if not found:
    errs.append("hostile helper has no row")
pcts = [float(row.fullmatch(l).group(9)) for l in rows if row.fullmatch(l)]
if pcts != sorted(pcts, reverse=True):
    errs.append("default sort is not by %CPU, largest first")
for e in errs[:20]:
    print("FAIL: text:", e)
sys.exit(1 if errs else 0)
PY

# Sorting of the table: by pid both ways, by memory largest first.
rows_col() { awk -v c="$2" 'f && NF { print $c } /^ +PID USER/ { f = 1 }' "$1"; }
"$VIGIL" -b -d 0.1 -s pid >"$tmp/s1" && rows_col "$tmp/s1" 1 >"$tmp/c1"
sort -n -c "$tmp/c1" 2>/dev/null && [ -s "$tmp/c1" ] || bad "-s pid is not ascending"
"$VIGIL" -b -d 0.1 -s -pid >"$tmp/s2" && rows_col "$tmp/s2" 1 >"$tmp/c2"
sort -n -r -c "$tmp/c2" 2>/dev/null && [ -s "$tmp/c2" ] || bad "-s -pid is not descending"
"$VIGIL" -b -d 0.1 -s pid --reverse -p "1,$busy,$hostile" >"$tmp/s3" && rows_col "$tmp/s3" 1 >"$tmp/c3"
[ "$(echo $(cat "$tmp/c3"))" = "$(printf '%s\n' 1 "$busy" "$hostile" | sort -n -r | xargs)" ] ||
    bad "--reverse -p: rows $(echo $(cat "$tmp/c3"))"
"$VIGIL" -b -d 0.1 -s mem >"$tmp/s4" && rows_col "$tmp/s4" 10 >"$tmp/c4"
sort -g -r -c "$tmp/c4" 2>/dev/null && [ -s "$tmp/c4" ] || bad "-s mem is not largest first"
# tree: the helpers are children of this shell and are drawn under it
"$VIGIL" -b -d 0.1 -t >"$tmp/s6"
grep -E "^ *$busy .* (\`|\|)- busy$" "$tmp/s6" >/dev/null || bad "tree view does not draw busy under its parent"
# several snapshots: -n 2 gives two summaries, a blank line apart, each with the row of -p
"$VIGIL" -b -d 0.1 -n 2 -p "$busy" >"$tmp/s7"
[ "$(grep -c '^vigil - ' "$tmp/s7")" -eq 2 ] || bad "-n 2 text did not print two snapshots"
awk '/^vigil - / && NR > 1 && prev != "" { exit 1 } { prev = $0 }' "$tmp/s7" ||
    bad "no blank line between snapshots"
[ "$(grep -cE "^ +$busy .* busy$" "$tmp/s7")" -eq 2 ] &&
    [ "$(grep -cE '^ +[0-9]+ ' "$tmp/s7")" -eq 2 ] || bad "-p $busy text rows: $(cat "$tmp/s7")"

# A reader that goes away: quiet, status 0, and no waiting out the remaining snapshots
# (1000 of them would take far longer than the timeout).
timeout 120 "$VIGIL" -b -f json -n 1000 -d 0.1 2>"$tmp/err" | head -c 10 >/dev/null
rc=${PIPESTATUS[0]}
[ "$rc" -eq 0 ] || bad "vigil | head exited $rc (124: it did not stop)"
[ -s "$tmp/err" ] && bad "vigil | head wrote to stderr: $(cat "$tmp/err")"
# A failing write is one line and status 1.
if [ -w /dev/full ]; then
    "$VIGIL" -b -d 0.1 >/dev/full 2>"$tmp/err"
    rc=$?
    [ "$rc" -eq 1 ] || bad "write to /dev/full exited $rc"
    [ "$(wc -l <"$tmp/err")" -eq 1 ] && grep -q '^vigil: cannot write' "$tmp/err" ||
        bad "write to /dev/full: $(cat "$tmp/err")"
fi

[ "$fail" -eq 0 ] && echo "PASS"
exit "$fail"
