#!/bin/bash
# Processes on the real system: proc_zoo spawns a zombie, a process renamed "a b) (c",
# one with 8 threads, one at nice 7, one under ionice idle, one at best-effort level 3
# and one with hostile arguments; `vigil --batch --format json` must report each exactly
# as /proc and ioprio_get say (procs_check.py), and every other process it lists too.
set -u
zoo="$HELPERS/proc_zoo"
[ -x "$zoo" ] || { echo "FAIL: $zoo not built"; exit 1; }
tmp=$(mktemp -d)
mkfifo "$tmp/in"
"$zoo" <"$tmp/in" >"$tmp/zoo.json" 2>"$tmp/zoo.err" &
zoo_pid=$!
exec 3>"$tmp/in" # the zoo lives until this closes
cleanup() {
    exec 3>&-
    wait "$zoo_pid" 2>/dev/null
    rm -rf "$tmp"
}
trap cleanup EXIT

for _ in $(seq 300); do
    [ -s "$tmp/zoo.json" ] && break
    kill -0 "$zoo_pid" 2>/dev/null || break
    sleep 0.1
done
[ -s "$tmp/zoo.json" ] || { echo "FAIL: proc_zoo did not start: $(cat "$tmp/zoo.err")"; exit 1; }
echo "zoo: $(cat "$tmp/zoo.json")"

ls /proc | grep -E '^[0-9]+$' | sort >"$tmp/before"
"$VIGIL" --batch --format json -n 1 -d 0.3 >"$tmp/vigil.json" 2>"$tmp/vigil.err"
rc=$?
ls /proc | grep -E '^[0-9]+$' | sort >"$tmp/after"
[ $rc = 0 ] || { echo "FAIL: vigil exited $rc: $(head -c 2000 "$tmp/vigil.err")"; exit 1; }
comm -12 "$tmp/before" "$tmp/after" >"$tmp/stable"

python3 "$TESTS/integration/procs_check.py" "$tmp/zoo.json" "$tmp/vigil.json" "$tmp/stable"
