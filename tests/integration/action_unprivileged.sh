#!/bin/bash
# Process actions as an unprivileged user (setpriv to nobody): signalling, renicing and
# ionicing a root-owned process must give the plain-words permission error and leave the
# process alone. Runs the action suite's "unprivileged" case as uid 65534 against a root
# process started here.
set -u
if [ "$(id -u)" != 0 ]; then
    echo "SKIP: needs root to start a root-owned target and switch to uid 65534"
    exit 0
fi
suite="$HELPERS/test_action_priv"
[ -x "$suite" ] || { echo "FAIL: $suite not built"; exit 1; }

sleep 300 &
target=$!
trap 'kill $target 2>/dev/null; wait $target 2>/dev/null' EXIT

out=$(CK_RUN_CASE=unprivileged VIGIL_ROOT_PID=$target \
      setpriv --reuid=65534 --regid=65534 --clear-groups "$suite" 2>&1)
rc=$?
echo "$out"
fail=0
[ $rc = 0 ] || { echo "FAIL: suite exited $rc as uid 65534"; fail=1; }
grep -q "permission denied: process $target (sleep) belongs to another user; only root can signal it." <<<"$out" ||
    { echo "FAIL: no permission-denied sentence for the signal"; fail=1; }
grep -q "permission denied: only root can lower the nice value of process" <<<"$out" ||
    { echo "FAIL: no permission-denied sentence for lowering nice"; fail=1; }
grep -q "100%: Checks: 1, Failures: 0, Errors: 0" <<<"$out" ||
    { echo "FAIL: the unprivileged case did not pass"; fail=1; }
kill -0 $target 2>/dev/null || { echo "FAIL: the root-owned target died"; fail=1; }
# as the unprivileged user the suite must really have been uid 65534: root could signal
[ "$(awk '/^Uid:/ {print $2}' /proc/$target/status)" = 0 ] || { echo "FAIL: target not root"; fail=1; }
exit $fail
