#!/bin/bash
# Process actions through the interactive monitor, driven in tmux, on real processes this
# test starts (and reaps, by PID): the signal menu kills a sleep, `[` three times renices
# one to nice +3, the `i` menu sets the idle I/O class, a zombie's signal menu names its
# parent, and as uid 65534 the signal to a root-owned process reports "permission denied"
# while the process lives on and the monitor keeps running.
set -u
: "${VIGIL:?}"
tmp=$(mktemp -d)
sock="vigilact-$$"
T() { tmux -L "$sock" "$@"; }
pids=() # every process started here, killed and reaped by PID at the end
cleanup() {
    T kill-server 2>/dev/null
    local p
    for p in "${pids[@]}"; do kill -TERM "$p" 2>/dev/null; done
    for p in "${pids[@]}"; do wait "$p" 2>/dev/null; done
    rm -rf "$tmp"
}
trap cleanup EXIT
fail=0
bad() { echo "FAIL: $*"; fail=1; }
export LANG=C.UTF-8 LC_ALL=C.UTF-8 XDG_CONFIG_HOME="$tmp/xdg" HOME="$tmp"
unset NO_COLOR
PY=/usr/bin/python3
[ -x "$PY" ] || PY=python3

. "$TESTS/integration/tmux_lib.bash" # screen, wait_for, wait_gone, keys, expect
status_line() { screen | sed -n 39p; } # row 39 of 40: above the function-key bar
# start NAME PREFIX VIGIL-ARGS...: vigil (after the command PREFIX, "" for none) in a
# fresh 120x40 session; its exit status goes to $tmp/NAME.rc
start() {
    local name=$1 prefix=$2
    shift 2
    T kill-session -t ui 2>/dev/null
    T -u new-session -d -s ui -x 120 -y 40 \
        "env LANG=C.UTF-8 $prefix '$VIGIL' -d 0.5 $* 2>'$tmp/$name.err'; echo \$? >'$tmp/$name.rc'; echo SHELL-AGAIN; sleep 600"
    expect "Command" 15
}
nice_of() { # field 19 of /proc/PID/stat, counted after the last ')' (comm may hold any)
    local s
    s=$(cat "/proc/$1/stat" 2>/dev/null) || return 1
    s=${s##*)}
    awk '{print $17}' <<<"$s" # field 3 (state) is the first after ')'
}
state_of() { local s; s=$(cat "/proc/$1/stat" 2>/dev/null) || return 1; s=${s##*)}; awk '{print $1}' <<<"$s"; }

# ---- 1. the signal menu kills a process ---------------------------------------------
sleep 600 &
victim=$!
pids+=("$victim")
start kill "" -p "$victim"
expect " $victim "
keys k
expect "Send signal"
s=$(screen)
grep -qF "to 1 process:" <<<"$s" || bad "signal menu does not count its one target"
grep -qE "PID $victim +sleep +sleep 600" <<<"$s" || bad "signal menu does not show PID $victim, name and command"
grep -qF "15 SIGTERM" <<<"$s" || bad "signal menu lacks 15 SIGTERM"
grep -qF "9 SIGKILL" <<<"$s" || bad "signal menu lacks 9 SIGKILL"
# preselected: the menu's highlighted row (reverse video or a background colour) is SIGTERM
T capture-pane -p -e -t ui | grep -F "15 SIGTERM" | grep -qE $'\e\\[([0-9;]*;)?(7|4[0-7])[;m]' ||
    bad "15 SIGTERM is not the highlighted item"
keys Enter
gone=0
for _ in $(seq 100); do # a zombie of this shell until waited for, or gone
    st=$(state_of "$victim") || { gone=1; break; }
    [ "$st" = Z ] && { gone=1; break; }
    sleep 0.1
done
[ $gone = 1 ] || bad "process $victim still running (state $(state_of "$victim")) after SIGTERM from the menu"
wait "$victim"
rc=$?
[ $rc = 143 ] || bad "process $victim ended with status $rc, not 143 (SIGTERM)"
kill -0 "$victim" 2>/dev/null && bad "process $victim still exists after wait"
expect "sent SIGTERM to process $victim (sleep)."
[ -e "$tmp/kill.rc" ] && bad "vigil exited after the signal: $(cat "$tmp/kill.rc")"

# ---- 2. renice up three steps ---------------------------------------------------------
sleep 600 &
nicer=$!
pids+=("$nicer")
renice -n 0 -p "$nicer" >/dev/null 2>&1 # started at nice 0 even if this shell is niced
base=$(nice_of "$nicer")
[ "$base" = 0 ] || bad "the target starts at nice $base, not 0"
start nice "" -p "$nicer"
expect " $nicer "
for step in 1 2 3; do
    keys '['
    expect "changed the nice value of process $nicer (sleep) from $((base + step - 1)) to $((base + step))."
done
n=$(nice_of "$nicer")
[ "$n" = $((base + 3)) ] || bad "nice of $nicer in /proc is $n after [ [ [, not $((base + 3))"
# the list shows it too (NI column) after the resample the action asks for
ni_ok=0
for _ in $(seq 30); do
    screen | grep -qE "^ *$nicer +[^ ]+ +[0-9]+ +$((base + 3)) " && { ni_ok=1; break; }
    sleep 0.1
done
[ $ni_ok = 1 ] || bad "the NI column does not show $((base + 3)): $(screen | grep -E "^ *$nicer ")"

# ---- 3. ionice idle through the i menu ------------------------------------------------
keys i
expect "I/O priority (ionice)"
s=$(screen)
grep -qF "idle" <<<"$s" && grep -qF "best-effort 4" <<<"$s" || bad "ionice menu lacks its classes"
grep -qE "PID $nicer +sleep" <<<"$s" || bad "ionice menu does not show the target"
keys End Enter
expect "set the I/O priority of process $nicer (sleep) to idle."
io=$(ionice -p "$nicer" 2>&1)
[ "$io" = idle ] || bad "ionice -p $nicer says '$io', not idle"
kill "$nicer"
wait "$nicer" 2>/dev/null

# ---- 4. a zombie's signal menu names its parent ----------------------------------------
PNAME="zpar-$$" ZNAME="zomb-$$"
PNAME=$PNAME ZNAME=$ZNAME "$PY" "$TESTS/integration/zparent.py" "$tmp/zombie.pid" &
pids+=("$!") # the parent: on SIGTERM it reaps the zombie and exits
for _ in $(seq 100); do [ -s "$tmp/zombie.pid" ] && break; sleep 0.1; done
if read -r zparent zombie <"$tmp/zombie.pid"; then
    for _ in $(seq 50); do [ "$(state_of "$zombie")" = Z ] && break; sleep 0.1; done
    [ "$(state_of "$zombie")" = Z ] || bad "the zombie maker's child $zombie is not a zombie"
    start zombie "" -p "$zombie,$zparent"
    expect "[$ZNAME] <defunct>"
    keys z # select the zombie (the only one in this view)
    expect "is a zombie"
    grep -qF "PID $zombie ($ZNAME)" <<<"$(status_line)" || bad "z did not select zombie $zombie: $(status_line)"
    keys k
    expect "Zombie process"
    s=$(screen)
    grep -qF "PID $zombie ($ZNAME) is a zombie" <<<"$s" || bad "zombie menu does not say $zombie is a zombie"
    grep -qF "cannot be killed until its parent reaps it" <<<"$s" || bad "zombie menu does not explain the parent reaps it"
    grep -qF "Its parent is PID $zparent ($PNAME)." <<<"$s" || bad "zombie menu does not name the parent $zparent ($PNAME)"
    grep -qF "SIGTERM to the parent, PID $zparent ($PNAME)" <<<"$s" || bad "zombie menu does not offer SIGTERM to the parent"
    keys Escape
    wait_gone "Zombie process" || bad "Esc did not close the zombie menu"
    [ "$(state_of "$zombie")" = Z ] || bad "zombie $zombie changed although the menu was cancelled"
    kill -0 "$zparent" 2>/dev/null || bad "the parent $zparent died although the menu was cancelled"
else
    bad "the zombie maker did not start"
fi

# ---- 5. unprivileged: permission denied in words ---------------------------------------
if [ "$(id -u)" != 0 ]; then
    echo "SKIP (part 5): needs root to own the target and switch to uid 65534"
else
    sleep 600 &
    rootp=$!
    pids+=("$rootp")
    chmod 755 "$tmp"
    start nobody "setpriv --reuid=65534 --regid=65534 --clear-groups env HOME=/nonexistent XDG_CONFIG_HOME=/nonexistent" -p "$rootp"
    expect " $rootp "
    vpid=$(pgrep -u 65534 -x vigil -P "$(T list-panes -t ui -F '#{pane_pid}')" | head -1)
    [ -n "$vpid" ] && [ "$(awk '/^Uid:/ {print $2}' "/proc/$vpid/status")" = 65534 ] ||
        bad "vigil does not run as uid 65534 (pid '$vpid')"
    keys k
    expect "Send signal"
    expect "15 SIGTERM"
    keys Enter
    expect "permission denied: process $rootp (sleep) belongs to another user; only root can signal it."
    sleep 1 # a late signal would show here
    [ "$(state_of "$rootp")" = S ] || bad "root-owned $rootp is not alive and sleeping: $(state_of "$rootp")"
    kill -0 "$rootp" 2>/dev/null || bad "root-owned $rootp died"
    [ -e "$tmp/nobody.rc" ] && bad "vigil exited after the permission error: $(cat "$tmp/nobody.rc")"
    s=$(screen)
    for want in "PID USER" "Command" "F10Quit" "Mem["; do
        grep -qF -- "$want" <<<"$s" || bad "screen not intact after the error: lacks '$want'"
    done
    grep -qE "^ *$rootp +root " <<<"$s" || bad "the target row is gone after the error"
    keys q
    for _ in $(seq 100); do [ -s "$tmp/nobody.rc" ] && break; sleep 0.1; done
    [ "$(cat "$tmp/nobody.rc" 2>/dev/null)" = 0 ] || bad "q after the error: vigil exit status '$(cat "$tmp/nobody.rc" 2>/dev/null)'"
fi

# a sanitizer build reports on stderr without necessarily exiting
for e in "$tmp"/*.err; do
    [ -s "$e" ] && grep -qE "runtime error|Sanitizer" "$e" && { bad "sanitizer report in $(basename "$e"):"; sed 's/^/  | /' "$e"; }
done
if [ $fail = 0 ]; then echo PASS; fi
exit $fail
