#!/bin/bash
# The interactive monitor driven in tmux: the three panels, sorting by key, search,
# filter, tree view, a real zombie in the zombie colour selected by z with its parent
# named, the zombie's signal menu, resizing down to 40x10 and 1x1 and back, themes,
# NO_COLOR, config errors, and q leaving status 0 with the terminal restored.
set -u
: "${VIGIL:?} ${SRC:?}"
tmp=$(mktemp -d)
sock="vigiltest-$$"
T() { tmux -L "$sock" "$@"; }
zparent=""
cleanup() {
    T kill-server 2>/dev/null
    # the zombie's parent reaps it on SIGTERM, then exits
    if [ -n "$zparent" ]; then
        kill -TERM "$zparent" 2>/dev/null
        wait 2>/dev/null
    fi
    rm -rf "$tmp"
}
trap cleanup EXIT
fail=0
bad() { echo "FAIL: $*"; fail=1; }
export LANG=C.UTF-8 LC_ALL=C.UTF-8 XDG_CONFIG_HOME="$tmp/xdg" HOME="$tmp"
unset NO_COLOR

# A parent that keeps one unreaped child (zparent.py), named so the screen can be
# searched for both. The system python (a version-manager shim would stand between us and the parent)
PY=/usr/bin/python3
[ -x "$PY" ] || PY=python3
# names unique to this run (the suite may run twice at once on one machine), passed in
# the environment so that no command line contains them and a search finds only the comm
PNAME="zparent-$$" ZNAME="vzombie-$$"
PNAME=$PNAME ZNAME=$ZNAME "$PY" "$TESTS/integration/zparent.py" "$tmp/zombie.pid" &
for _ in $(seq 100); do [ -s "$tmp/zombie.pid" ] && break; sleep 0.1; done
read -r zparent zombie <"$tmp/zombie.pid" || { echo "FAIL: the zombie maker did not start"; exit 1; }
for _ in $(seq 50); do
    [ "$(awk '{print $3}' "/proc/$zombie/stat" 2>/dev/null)" = Z ] && break
    sleep 0.1
done

. "$TESTS/integration/tmux_lib.bash" # screen, wait_for, wait_gone, keys, expect

start() { # start NAME ARGS...: vigil in a fresh 120x40 session, exit status to $tmp/NAME.rc
    local name=$1
    shift
    T -u new-session -d -s ui -x 120 -y 40 \
        "env LANG=C.UTF-8 $* '$VIGIL' -d 0.5 $VIGIL_ARGS 2>'$tmp/$name.err'; echo \$? >'$tmp/$name.rc'; echo SHELL-AGAIN; sleep 600"
}

# ---- the main session ------------------------------------------------------------
VIGIL_ARGS=""
start main
expect "Command" 15
s=$(screen)
for want in "Avg[" "Mem[" "Swp[" "Tasks:" "Load average:" "Uptime:" "logical /" \
    "PID USER" "CPU%" "MEM%" "TIME+" "Interface" "MTU" "F1Help" "F10Quit"; do
    grep -qF -- "$want" <<<"$s" || bad "main screen lacks '$want'"
done
grep -qE '^lo +UP RUNNING' <<<"$s" || bad "interface panel lacks the loopback row"
grep -qF "1 zombie" <<<"$s" || grep -qE '[0-9]+ zombies' <<<"$s" || bad "tasks line lacks zombies"

# rows: the process rows on screen
rows() { screen | awk '/ USER +PRI +NI /{on=1; next} /^Interface /{on=0} on && /^ *[0-9]+ /'; }
sorted_rows() { # sorted_rows FIELD asc|desc: the rows on screen are in that order
    rows | awk -v f="$1" '{print $f}' | python3 -c '
import sys
vals = []
for tok in sys.stdin.read().split():
    m = {"K": 1, "M": 2**10, "G": 2**20, "T": 2**30}
    vals.append(float(tok[:-1]) * m[tok[-1]] if tok[-1] in m else float(tok))
want = sorted(vals, reverse=sys.argv[1] == "desc")
sys.exit(0 if len(vals) > 3 and vals == want else 1)' "$2"
}
check_order() { # check_order FIELD asc|desc NAME (a capture may catch a frame half drawn)
    local i
    for i in 1 2 3; do
        sorted_rows "$1" "$2" && return 0
        sleep 0.3
    done
    bad "rows not in $2 order of $3"
    rows | head -5 | sed 's/^/  | /'
}
keys M
expect "MEM%▼"
screen | grep -qF "CPU%▼" && bad "CPU% still marked after M"
check_order 10 desc "MEM%"
keys N
expect "PID▲"
check_order 1 asc PID
keys P
expect "CPU%▼"
check_order 9 desc "CPU%"
keys I
expect "CPU%▲"
check_order 9 asc "CPU% inverted"
keys I N

# mouse (X10 reports, as tmux passes them on): a click on a header sorts by that column,
# a click on a row selects it
click() { # click X Y, 0-based; both below 94 so that each report byte stays ASCII
    local p r
    printf -v p '\\x%x\\x%x' $(($1 + 33)) $(($2 + 33))
    printf -v r '\e[M %b\e[M#%b' "$p" "$p"
    keys -l "$r"
}
hdr=$(($(screen | grep -n 'Command' | head -1 | cut -d: -f1) - 1))
mx=$(screen | sed -n "$((hdr + 1))p" | awk '{ print index($0, "MEM%") }')
click "$mx" "$hdr"
expect "MEM%▼"
check_order 10 desc "MEM% (by mouse)"
keys Z # paused, so that no refresh moves the rows between the click and the check
expect "PAUSED"
click 3 $((hdr + 4))
sleep 0.5
picked=$(screen_e | sed -n "$((hdr + 5))p")
grep -qF '[46m' <<<"$picked" || {
    bad "a click on a row did not select it: $picked"
    screen_e | cat -v | cut -c1-50 | sed 's/^/  | /'
}
keys Z P

# search: the selected row (selection colour, background cyan) is the match
keys /
expect "Search:"
keys -l "$ZNAME"
expect "Search: $ZNAME"
sel=$(screen_e | grep -F '[46m' | grep -F "$ZNAME")
[ -n "$sel" ] || bad "search did not select the $ZNAME row"
keys Enter
wait_gone "Search:" || bad "Enter did not close the search prompt"

# filter
keys '\'
expect "Filter:"
keys -l "$PNAME"
keys Enter
expect "[filter]"
# (the command line is clipped at the edge; the parent's comm is $PNAME)
# (the screen may still be between two frames: look again for up to 5 s)
for _ in $(seq 50); do
    [ "$(rows | awk '{print $1}' | tr '\n' ' ')" = "$zparent " ] && break
    sleep 0.1
done
[ "$(rows | awk '{print $1}' | tr '\n' ' ')" = "$zparent " ] ||
    bad "filter $PNAME shows: $(rows)"
keys F4 Escape
wait_gone "[filter]" || bad "Esc did not clear the filter"

# tree view: the zombie drawn under its parent (a filter on this run's suffix keeps both,
# and little else, on screen)
keys '\'
keys -l -- "-$$" # "--": tmux would take "-PID" for a flag
keys Enter t
expect "[tree]"
expect "[$ZNAME]"
for _ in $(seq 50); do
    s=$(screen)
    pl=$(grep -nE "^ *$zparent " <<<"$s" | head -1 | cut -d: -f1)
    zl=$(grep -nF "[$ZNAME]" <<<"$s" | head -1 | cut -d: -f1)
    [ -n "$pl" ] && [ -n "$zl" ] && [ "$zl" -gt "$pl" ] && break
    sleep 0.1
done
[ -n "$pl" ] && [ -n "$zl" ] && [ "$zl" -gt "$pl" ] || bad "tree: zombie not below its parent"
grep -qE "(└─|├─) \\[$ZNAME\\] <defunct>" <<<"$s" || bad "tree: no branch to the zombie"
keys t F4 Escape
wait_gone "[tree]" || bad "t did not leave the tree view"
wait_gone "[filter]" || bad "Esc did not clear the filter"

# the zombie row in the theme's zombie colour (default theme: white on red, bold): the
# search selects it, Up moves the selection off it while it stays on screen
keys /
expect "Search:"
keys -l "$ZNAME"
expect "Search: $ZNAME"
keys Enter
wait_gone "Search:" || bad "Enter did not close the search prompt"
keys Up Z # paused: the rows stay put while they are read
expect "PAUSED"
expect "[$ZNAME] <defunct>"
zrow=$(screen_e | grep -F "[$ZNAME] <defunct>")
python3 - "$zrow" <<'PY' || bad "zombie row not drawn in the zombie colour: $zrow"
import re, sys
params = set()
for sgr in re.findall(r"\x1b\[([0-9;]*)m", sys.argv[1]):
    params.update(sgr.split(";"))
sys.exit(0 if "41" in params else 1)
PY
zplain=$(sed $'s/\x1b\\[[0-9;]*m//g' <<<"$zrow")
grep -qE "^ *$zombie .* Z .*\\[$ZNAME\\] <defunct>" <<<"$zplain" || bad "zombie row lacks Z and <defunct>: $zplain"
keys Z

# z selects it; the status line names the parent. Other zombies may exist on the machine
# (daemons orphaned to a PID 1 that does not reap): z steps through them all in turn.
for _ in $(seq 30); do
    keys z
    expect "is a zombie"
    status=$(screen | sed -n 39p)
    grep -qF "PID $zombie ($ZNAME)" <<<"$status" && break
done
grep -qF "PID $zombie ($ZNAME)" <<<"$status" || bad "status line does not name the zombie: $status"
grep -qF "parent, PID $zparent ($PNAME)" <<<"$status" || bad "status line lacks the parent: $status"
screen_e | grep -F '[46m' | grep -qF "$ZNAME" || bad "z did not select the zombie"

# its signal menu explains and offers the parent
keys k
expect "Zombie process"
s=$(screen)
grep -qF "is a zombie" <<<"$s" && grep -qF "parent reaps it" <<<"$s" || bad "zombie menu text"
grep -qF "Its parent is PID $zparent ($PNAME)" <<<"$s" || bad "zombie menu does not name the parent"
grep -qF "SIGCHLD to the parent" <<<"$s" || bad "zombie menu does not offer SIGCHLD to the parent"
keys Escape
wait_gone "Zombie process" || bad "Esc did not close the menu"

# help lists keys; any key returns
keys h
expect "incremental search"
keys x
expect "F1Help"

# resize to 40x10 and back; 1x1 does not crash
T resize-window -t ui -x 40 -y 10
sleep 1
s=$(screen)
grep -qF "PID" <<<"$s" || grep -qF "too small" <<<"$s" || bad "40x10 shows neither the list nor a notice"
awk 'length($0) > 40 {exit 1}' <<<"$s" || bad "40x10: lines wider than the window"
T resize-window -t ui -x 120 -y 40
expect "Interface"
T resize-window -t ui -x 1 -y 1
sleep 1
T resize-window -t ui -x 5 -y 3
sleep 0.5
T resize-window -t ui -x 120 -y 40
expect "Command"
[ -e "$tmp/main.rc" ] && bad "vigil exited during resizes (status $(cat "$tmp/main.rc"))"

# q: status 0, the shell's screen is back
keys q
for _ in $(seq 50); do [ -s "$tmp/main.rc" ] && break; sleep 0.1; done
[ "$(cat "$tmp/main.rc" 2>/dev/null)" = 0 ] || bad "q: exit status '$(cat "$tmp/main.rc" 2>/dev/null)'"
expect "SHELL-AGAIN"
screen | grep -qF "F1Help" && bad "the monitor's screen is still shown after q"
[ -s "$tmp/main.err" ] && bad "stderr not empty: $(cat "$tmp/main.err")"
T kill-session -t ui

# ---- NO_COLOR and the monochrome theme: no colour escapes ---------------------------
start nocolor NO_COLOR=1
expect "Command" 15
if screen_e | grep -qE $'\e\\[[0-9;]*(3[0-7]|4[0-7])(;[0-9]+)*m'; then
    bad "NO_COLOR: colours drawn"
fi
keys q
T kill-session -t ui

# ---- a locale that is not UTF-8: ASCII line drawing and indicators ----------------
start ascii LC_ALL=C
expect "Command" 15
keys t
expect "[tree]"
screen | grep -qF 'CPU%v' || bad "C locale: no ASCII sort indicator"
screen | grep -qE '(\|-|`-) ' || bad "C locale: no ASCII tree branches"
screen | LC_ALL=C grep -q $'[\x80-\xff]' && bad "C locale: non-ASCII bytes on screen"
keys q
T kill-session -t ui

# ---- a light theme by name --------------------------------------------------------
VIGIL_ARGS="--theme light"
start light
expect "Command" 15
# light theme: column headers white on blue (44)
screen_e | grep -F "PID USER" | grep -qE $'\e\\[([0-9;]*;)?44(;[0-9]+)*m' || bad "--theme light not applied"
keys q
T kill-session -t ui

# ---- errors: an unreadable theme, a malformed config line, an unreadable --config ---
VIGIL_ARGS="--theme $tmp/no-such.theme"
start badtheme
for _ in $(seq 50); do [ -s "$tmp/badtheme.rc" ] && break; sleep 0.1; done
[ "$(cat "$tmp/badtheme.rc")" = 2 ] || bad "unreadable theme: status $(cat "$tmp/badtheme.rc")"
[ "$(wc -l <"$tmp/badtheme.err")" -eq 1 ] && grep -q '^vigil: .*theme' "$tmp/badtheme.err" ||
    bad "unreadable theme message: $(cat "$tmp/badtheme.err")"
T kill-session -t ui

# a terminal type curses does not know: one line and status 2, not curses's own message
VIGIL_ARGS=""
start badterm TERM=vigil-no-such-term
for _ in $(seq 50); do [ -s "$tmp/badterm.rc" ] && break; sleep 0.1; done
[ "$(cat "$tmp/badterm.rc")" = 2 ] || bad "unknown TERM: status $(cat "$tmp/badterm.rc")"
[ "$(wc -l <"$tmp/badterm.err")" -eq 1 ] &&
    grep -q "^vigil: unknown terminal type 'vigil-no-such-term' (TERM)" "$tmp/badterm.err" ||
    bad "unknown TERM message: $(cat "$tmp/badterm.err")"
T kill-session -t ui

VIGIL_ARGS="--config $tmp/missing.conf"
start badconf
for _ in $(seq 50); do [ -s "$tmp/badconf.rc" ] && break; sleep 0.1; done
[ "$(cat "$tmp/badconf.rc")" = 2 ] || bad "unreadable --config: status $(cat "$tmp/badconf.rc")"
grep -q '^vigil: .*missing.conf' "$tmp/badconf.err" || bad "unreadable --config message"
T kill-session -t ui

# the config file sets the sort and tree mode; S saves the current settings back
mkdir -p "$tmp/xdg/vigil"
printf '[vigil]\nsort = mem\ntree = true\nbogus line\n' >"$tmp/xdg/vigil/config"
VIGIL_ARGS=""
start conf
expect "MEM%▼" 15
expect "[tree]"
# the malformed line is on the status line too: stderr is hidden behind the screen
expect "$tmp/xdg/vigil/config:4: expected NAME = VALUE"
keys t P S
expect "settings saved"
keys q
for _ in $(seq 50); do [ -s "$tmp/conf.rc" ] && break; sleep 0.1; done
grep -qF "vigil: $tmp/xdg/vigil/config:4: expected NAME = VALUE" "$tmp/conf.err" ||
    bad "malformed config line not reported as FILE:LINE: $(cat "$tmp/conf.err")"
grep -qx 'sort = cpu' "$tmp/xdg/vigil/config" && grep -qx 'tree = false' "$tmp/xdg/vigil/config" ||
    bad "S did not save the settings: $(cat "$tmp/xdg/vigil/config")"

exit $fail
