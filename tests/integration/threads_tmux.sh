#!/bin/bash
# H in the interactive monitor, driven in tmux on a real process with three named threads
# (tests/helpers/named_threads.c): with -p PID the threads are rows (their TIDs in the
# PID column, "{vgl-worker-N}", the theme's thread colour), right under the process in
# tree view; the busy one shows CPU use of its own; H hides them and shows them again;
# F8 on a thread row changes that thread's nice alone; the signal menu on a thread row
# says the signal goes to the whole process; hide_user_threads = true in the config
# starts with them hidden.
set -u
: "${VIGIL:?} ${HELPERS:?}"
tmp=$(mktemp -d)
sock="vigilthr-$$"
T() { tmux -L "$sock" "$@"; }
helper=""
cleanup() {
    T kill-server 2>/dev/null
    if [ -n "$helper" ]; then
        kill -TERM "$helper" 2>/dev/null
        wait "$helper" 2>/dev/null
    fi
    rm -rf "$tmp"
}
trap cleanup EXIT
fail=0
bad() { echo "FAIL: $*"; fail=1; }
export LANG=C.UTF-8 LC_ALL=C.UTF-8 XDG_CONFIG_HOME="$tmp/xdg" HOME="$tmp"
unset NO_COLOR

"$HELPERS/named_threads" >"$tmp/helper.out" &
helper=$!
for _ in $(seq 100); do grep -q '^ready' "$tmp/helper.out" 2>/dev/null && break; sleep 0.1; done
grep -q '^ready' "$tmp/helper.out" || { echo "FAIL: named_threads did not start"; exit 1; }
pid=$(awk '$1 == "pid" {print $2}' "$tmp/helper.out")
declare -A tid
while read -r _ n t; do tid[$n]=$t; done < <(grep '^tid ' "$tmp/helper.out")
[ "$pid" = "$helper" ] || bad "helper pid $pid is not $helper"
[ "${#tid[@]}" = 3 ] || { echo "FAIL: helper TIDs: $(cat "$tmp/helper.out")"; exit 1; }
for n in 1 2 3; do
    [ "$(cat "/proc/$pid/task/${tid[$n]}/comm")" = "vgl-worker-$n" ] || bad "thread $n not named"
done

. "$TESTS/integration/tmux_lib.bash" # screen, wait_for, wait_gone, keys, expect
start() { # start NAME ARGS...: vigil -p PID in a fresh 120x40 session
    local name=$1
    shift
    T -u new-session -d -s ui -x 120 -y 40 \
        "env LANG=C.UTF-8 '$VIGIL' -d 0.5 -p $pid $* 2>'$tmp/$name.err'; echo \$? >'$tmp/$name.rc'; echo SHELL-AGAIN; sleep 600"
}
# the process-panel rows on screen
rows() { screen | awk '/ USER +PRI +NI /{on=1; next} /^Interface /{on=0} on && /^ *[0-9]+ /'; }
row_of() { rows | awk -v p="$1" '$1 == p'; } # the row whose PID column is $1
thread_rows_ok() { # every worker has its row: TID first, "{vgl-worker-N}" in the command
    local n
    for n in 1 2 3; do
        row_of "${tid[$n]}" | grep -qF "{vgl-worker-$n}" || return 1
    done
}
wait_rows() { # wait_rows yes|no: the three thread rows are (not) on screen
    local i
    for i in $(seq 100); do
        if [ "$1" = yes ]; then thread_rows_ok && return 0; else
            screen | grep -qF "{vgl-worker-" || return 0
        fi
        sleep 0.1
    done
    return 1
}

# ---- default: threads are rows ------------------------------------------------------
start main
expect "Command" 15
wait_rows yes || { bad "thread rows not shown by default"; screen | sed 's/^/  | /'; }
# (by PID: a deep build path clips the process's command line)
[ -n "$(row_of "$pid")" ] || bad "the process row is missing"
[ "$(rows | wc -l)" = 4 ] || bad "-p $pid shows $(rows | wc -l) rows, not the process and 3 threads"
screen | grep -qF "[+3 thr] 1/" || bad "the header does not count the thread rows"
# list view: each thread names its process
row_of "${tid[2]}" | grep -qF "{vgl-worker-2} of $pid (named_threads)" || bad "list view: $(row_of "${tid[2]}")"

# the thread colour (default theme: green, SGR 32) on a thread row that is not selected
keys N # by PID: the process first and selected, its threads below
for _ in $(seq 50); do
    [ "$(rows | head -1 | awk '{print $1}')" = "$pid" ] && break
    sleep 0.1
done
keys Z
expect "PAUSED"
# (tmux writes only changes of colour, across lines: follow them from the top)
screen_e >"$tmp/frame"
python3 - "$tmp/frame" "{vgl-worker-3}" <<'PY' || bad "thread row not in the thread colour"
import re, sys
text = open(sys.argv[1], encoding="utf-8", errors="replace").read()
at = text.find(sys.argv[2])
fg = bg = None
for m in re.finditer(r"\x1b\[([0-9;]*)m", text[:at]):
    p = [int(x) if x else 0 for x in m.group(1).split(";")]
    i = 0
    while i < len(p):
        c = p[i]
        if c == 0:
            fg = bg = None
        elif 30 <= c <= 37 or 90 <= c <= 97:
            fg = c
        elif c == 39:
            fg = None
        elif 40 <= c <= 47 or 100 <= c <= 107:
            bg = c
        elif c == 49:
            bg = None
        elif c in (38, 48) and i + 2 < len(p) and p[i + 1] == 5:
            if c == 38:
                fg = "38;5;%d" % p[i + 2]
            else:
                bg = "48;5;%d" % p[i + 2]
            i += 2
        i += 1
print("thread row colours: fg %s bg %s" % (fg, bg))
sys.exit(0 if fg == 32 and bg is None else 1)
PY
keys Z

# the busy thread's CPU% is its own: above zero, while the sleepers stay at zero
busy=""
for _ in $(seq 60); do
    busy=$(row_of "${tid[1]}" | awk '{print $9}')
    idle=$(row_of "${tid[3]}" | awk '{print $9}')
    python3 -c "import sys; sys.exit(0 if float('$busy') > 1.0 and float('$idle') < 1.0 else 1)" \
        2>/dev/null && break
    sleep 0.2
done
python3 -c "import sys; sys.exit(0 if float('$busy') > 1.0 and float('$idle') < 1.0 else 1)" \
    2>/dev/null || bad "per-thread CPU%: busy worker $busy, sleeping worker $idle"

# tree view: right under the process, with branches
keys t
expect "[tree]"
for _ in $(seq 50); do
    s=$(rows)
    order=$(awk '{print $1}' <<<"$s" | tr '\n' ' ')
    [ "$(head -1 <<<"$order" | awk '{print $1}')" = "$pid" ] &&
        grep -qE "(├─|└─) \\{vgl-worker-[123]\\}$" <<<"$s" && break
    sleep 0.1
done
[ "$(awk '{print $1}' <<<"$s" | head -1)" = "$pid" ] || bad "tree: the process is not first: $order"
[ "$(grep -cE '(├─|└─) \{vgl-worker-[123]\}$' <<<"$s")" = 3 ] || {
    bad "tree: three thread rows with branches, no \"of\""
    sed 's/^/  | /' <<<"$s"
}
grep -qF " of $pid" <<<"$s" && bad "tree: thread rows name their process although it is right above"
keys t
wait_gone "[tree]" || bad "t did not leave the tree view"

# H hides them (the process stays), H shows them again
keys H
wait_rows no || bad "H did not hide the thread rows"
expect "user threads hidden"
[ -n "$(row_of "$pid")" ] || bad "H hid the process row too"
[ "$(rows | wc -l)" = 1 ] || bad "with H, -p shows $(rows | wc -l) rows"
keys H
wait_rows yes || bad "H again did not show the thread rows"

# F8 on the row of vgl-worker-2: nice + 1 on that thread alone
keys /
expect "Search:"
keys -l "vgl-worker-2"
keys Enter
wait_gone "Search:" || bad "Enter did not close the search"
nice_of() { awk '{sub(/.*\) /, ""); print $17}' "/proc/$pid/task/$1/stat"; }
before=$(nice_of "${tid[2]}")
keys F8
for _ in $(seq 50); do [ "$(nice_of "${tid[2]}")" != "$before" ] && break; sleep 0.1; done
[ "$(nice_of "${tid[2]}")" = $((before + 1)) ] || bad "F8: worker 2 nice $(nice_of "${tid[2]}"), was $before"
[ "$(nice_of "$pid")" = 0 ] || bad "F8 on a thread changed the main thread: nice $(nice_of "$pid")"
[ "$(nice_of "${tid[1]}")" = 0 ] || bad "F8 on a thread changed worker 1"
[ "$(nice_of "${tid[3]}")" = 0 ] || bad "F8 on a thread changed worker 3"
expect "thread ${tid[2]} (vgl-worker-2) of process $pid"
# its row shows the new value (NI column)
for _ in $(seq 50); do
    [ "$(row_of "${tid[2]}" | awk '{print $4}')" = $((before + 1)) ] && break
    sleep 0.1
done
[ "$(row_of "${tid[2]}" | awk '{print $4}')" = $((before + 1)) ] || bad "NI of the thread row: $(row_of "${tid[2]}")"

# k on the thread row: the signal would go to the whole process; Esc sends nothing
keys k
expect "Send signal"
s=$(screen)
grep -qF "whole process" <<<"$s" || bad "the signal menu does not say it signals the process"
grep -qF "to process $pid (named_threads)" <<<"$s" || bad "the signal menu does not name the process"
keys Escape
wait_gone "Send signal" || bad "Esc did not close the signal menu"
kill -0 "$helper" 2>/dev/null || bad "the helper died"

keys q
for _ in $(seq 50); do [ -s "$tmp/main.rc" ] && break; sleep 0.1; done
[ "$(cat "$tmp/main.rc" 2>/dev/null)" = 0 ] || bad "q: exit status '$(cat "$tmp/main.rc" 2>/dev/null)'"
[ -s "$tmp/main.err" ] && bad "stderr not empty: $(cat "$tmp/main.err")"
T kill-session -t ui

# ---- the config file hides them; H shows them --------------------------------------
mkdir -p "$tmp/xdg/vigil"
printf '[vigil]\nhide_user_threads = true\n' >"$tmp/xdg/vigil/config"
start conf
expect "Command" 15
for _ in $(seq 100); do [ -n "$(row_of "$pid")" ] && break; sleep 0.1; done
[ -n "$(row_of "$pid")" ] || bad "config run: no process row"
sleep 1.5 # a few refreshes: still none
screen | grep -qF "{vgl-worker-" && bad "hide_user_threads = true: thread rows shown"
keys H
wait_rows yes || bad "H did not show the thread rows hidden by the config"
keys q
for _ in $(seq 50); do [ -s "$tmp/conf.rc" ] && break; sleep 0.1; done
[ "$(cat "$tmp/conf.rc" 2>/dev/null)" = 0 ] || bad "config run: exit status '$(cat "$tmp/conf.rc" 2>/dev/null)'"

exit $fail
