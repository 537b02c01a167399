#!/bin/bash
# The process inspector in the interactive monitor, driven in tmux, on details_target (a
# listening and an established TCP socket, UDP and UNIX sockets, an open file, 4 threads,
# RLIMIT_NOFILE 64/128, a child and a zombie child): Enter opens it and the facts are on
# screen as /proc has them; the CPU % is filled in by the refresh timer; `a` sets the CPU
# affinity of every thread (read back from /proc); Enter on the zombie child opens its
# page, which names the parent; Esc returns to the list with the process still selected.
set -u
: "${VIGIL:?} ${HELPERS:?}"
target="$HELPERS/details_target"
[ -x "$target" ] || { echo "FAIL: $target not built"; exit 1; }
command -v tmux >/dev/null || { echo "FAIL: tmux is not installed"; exit 1; }
tmp=$(mktemp -d)
sock="vigilinspect-$$"
T() { tmux -L "$sock" "$@"; }
pid=
cleanup() {
    T kill-server 2>/dev/null
    exec 9>&- 2>/dev/null
    [ -n "$pid" ] && { kill "$pid" 2>/dev/null; wait "$pid" 2>/dev/null; }
    rm -rf "$tmp"
}
trap cleanup EXIT
fail=0
bad() { echo "FAIL: $*"; fail=1; }
export LANG=C.UTF-8 LC_ALL=C.UTF-8 XDG_CONFIG_HOME="$tmp/xdg" HOME="$tmp"
unset NO_COLOR

mkfifo "$tmp/ctl"
"$target" "$tmp" <"$tmp/ctl" >"$tmp/report" 2>&1 &
pid=$!
exec 9>"$tmp/ctl"
for _ in $(seq 100); do
    grep -qx ready "$tmp/report" 2>/dev/null && break
    sleep 0.1
done
grep -qx ready "$tmp/report" || { echo "FAIL: helper not ready"; cat "$tmp/report"; exit 1; }
val() { awk -v k="$1" '$1 == k {print $2}' "$tmp/report"; }
port=$(val tcp_port) cport=$(val client_port) child=$(val child) zombie=$(val zombie)

. "$TESTS/integration/tmux_lib.bash" # screen, wait_for, wait_gone, keys, expect
# page_has TEXT: somewhere on the inspector's page (End scrolls to the last line)
page_has() {
    local all
    all=$(for k in Home NPage NPage NPage NPage NPage NPage; do
        keys "$k"
        sleep 0.2
        screen
    done)
    grep -qF -- "$1" <<<"$all"
}

# only the helper in the list: -p keeps the test deterministic on a busy machine
T -u new-session -d -s ui -x 130 -y 45 \
    "env LANG=C.UTF-8 '$VIGIL' -d 0.5 -p $pid 2>'$tmp/err'; echo \$? >'$tmp/rc'; sleep 600"
# the row by its PID: the command column shows the helper's full path, which a deep
# build directory pushes past the edge of the screen
expect " $pid " 15
keys Enter
expect "Process $pid (details_target)"
expect "Identity"

s=$(screen)
grep -qF "Exe      $(readlink /proc/$pid/exe)" <<<"$s" || bad "exe not on screen"
grep -qF "Cwd      $(readlink /proc/$pid/cwd)" <<<"$s" || bad "cwd not on screen"
pp=$(awk '/^PPid:/ {print $2}' /proc/$pid/status)
grep -qF "PID $pid    parent $pp (" <<<"$s" || bad "pid and parent not on screen"
grep -qF "Affinity CPUs $(awk '/^Cpus_allowed_list:/ {print $2}' /proc/$pid/status)" <<<"$s" ||
    bad "affinity not as /proc has it"
grep -qF "threads 4" <<<"$s" || bad "thread count 4 not on screen"
# the refresh timer fills the CPU usage (the first read has nothing to compare with)
sleep 1.2
grep -qE "Usage +[0-9.]+%" <<<"$(screen)" || bad "CPU usage not filled in by the refresh"

for want in "Threads (4)" "worker-2" "worker-3" "$tmp/data.bin" \
    "LISTEN       127.0.0.1:$port" "ESTABLISHED  127.0.0.1:$cport" "127.0.0.1:$port " \
    "UNCONN" "$tmp/ctl.sock (stream)" "Max open files" "$child  dt-child" "$zombie  dt-zombie"; do
    page_has "$want" || bad "the inspector's page lacks '$want'"
done
# RLIMIT_NOFILE 64/128 on one line
page_has "$(printf '    %-22s %-11s %20s %20s  %s' 'Max open files' nofile 64 128 files)" ||
    bad "RLIMIT_NOFILE 64/128 not shown"
page_has "unlimited" || bad "no limit spelled unlimited"
fds=$(ls /proc/$pid/fd | wc -l)
page_has "Open files ($fds descriptors)" || bad "descriptor count $fds not shown"

# a: CPU affinity for every thread, through the prompt
first=$(awk '/^Cpus_allowed_list:/ {print $2}' /proc/$pid/status | sed 's/[-,].*//')
keys Home a
expect "CPUs for 1 process"
keys C-u
keys -l "$first"
keys Enter
expect "set the CPU affinity of process $pid (details_target) to CPU $first."
for t in /proc/$pid/task/*; do
    [ "$(awk '/^Cpus_allowed_list:/ {print $2}' "$t/status")" = "$first" ] ||
        bad "thread ${t##*/} affinity $(awk '/^Cpus_allowed_list:/ {print $2}' "$t/status"), want $first"
done
expect "Affinity CPUs $first "
screen | grep -qF "Process $pid (details_target)" || bad "the prompt did not return to the inspector"
# a bad list is refused in words
keys a C-u
keys -l "9999x"
keys Enter
expect "invalid CPU list"

# Enter on the zombie child (children are in pid order at the end) opens its page
if [ "$zombie" -gt "$child" ]; then keys End Enter; else keys End Up Enter; fi
expect "Process $zombie (dt-zombie)"
expect "is a zombie"
s=$(screen)
grep -qF "Parent: $pid (details_target)" <<<"$s" || bad "the zombie's page does not name its parent"
grep -qF "not available: the process is a zombie" <<<"$s" || bad "the zombie's page does not say what is gone"

# Esc: back to the list, the helper still selected (selection colour: cyan background)
keys Escape
expect "PID USER" 5
screen | grep -qF "Identity" && bad "Esc did not leave the inspector"
screen_e | grep -F '[46m' | grep -qF "$pid" || bad "the helper is not selected after Esc"

# F1 help lists the inspector keys
keys F1
expect "Process inspector"
keys x
keys q
for _ in $(seq 50); do [ -s "$tmp/rc" ] && break; sleep 0.1; done
[ "$(cat "$tmp/rc" 2>/dev/null)" = 0 ] || bad "vigil exited $(cat "$tmp/rc" 2>/dev/null): $(cat "$tmp/err")"
exit $fail
