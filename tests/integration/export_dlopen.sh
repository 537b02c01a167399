#!/usr/bin/env bash
# libmicrohttpd (and the GnuTLS chain it pulls in) is loaded only by the exporter: an
# interactive vigil and a --batch vigil do not map it, `--export prometheus` maps it and
# serves /metrics, and a libmicrohttpd that cannot be loaded (hidden in a private mount
# namespace) or lacks its functions gives one clear line and exit status 1.
set -uo pipefail
: "${VIGIL:?VIGIL must name the vigil binary}"

tmp=$(mktemp -d)
sock="vigildl-$$"
T() { tmux -L "$sock" "$@"; }
pids=()
cleanup() {
    T kill-server 2>/dev/null
    for p in "${pids[@]}"; do
        kill "$p" 2>/dev/null
        wait "$p" 2>/dev/null
    done
    rm -rf "$tmp"
}
trap cleanup EXIT
fail=0
bad() { echo "FAIL: $*"; fail=1; }
ok() { echo "ok: $*"; }
export LANG=C.UTF-8 LC_ALL=C.UTF-8 XDG_CONFIG_HOME="$tmp/xdg" HOME="$tmp"
unset NO_COLOR
vigil_exe=$(readlink -f "$VIGIL")

free_port() {
    python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'
}
# check_maps WHAT PID: PID is this vigil, maps libc and none of the HTTP stack
check_maps() {
    local what=$1 pid=$2
    if [ "$(readlink -f "/proc/$pid/exe")" != "$vigil_exe" ]; then
        bad "$what: PID $pid is not $vigil_exe"
        return
    fi
    cp "/proc/$pid/maps" "$tmp/$what.maps" || { bad "$what: cannot read /proc/$pid/maps"; return; }
    # a positive control: the maps we read are a live process's, with its libraries
    grep -q '/libc\.so' "$tmp/$what.maps" || bad "$what: maps lack libc (wrong file?)"
    if grep -E 'libmicrohttpd|libgnutls' "$tmp/$what.maps" >"$tmp/$what.http"; then
        bad "$what maps the HTTP stack:"
        awk '{print "  | " $6}' "$tmp/$what.http" | sort -u
    else
        ok "$what maps neither libmicrohttpd nor libgnutls"
    fi
}

# ---- interactive, in tmux ---------------------------------------------------------
T -u new-session -d -s ui -x 120 -y 40 "exec '$VIGIL' -d 0.5 2>'$tmp/ui.err'"
shown=0
for _ in $(seq 150); do
    T capture-pane -p -t ui 2>/dev/null | grep -qF "PID USER" && { shown=1; break; }
    sleep 0.1
done
if [ "$shown" = 1 ]; then
    sleep 1.2 # a few refreshes: everything a running monitor loads is loaded
    ui_pid=$(T list-panes -t ui -F '#{pane_pid}')
    check_maps interactive "$ui_pid"
    grep -q 'libncursesw' "$tmp/interactive.maps" || bad "interactive vigil does not map ncursesw"
    T send-keys -t ui q
else
    bad "the interactive monitor never showed its process list"
    T capture-pane -p -t ui | sed 's/^/  | /'
    cat "$tmp/ui.err"
fi

# ---- batch ----------------------------------------------------------------------
"$VIGIL" --batch --format json -d 0.5 -n 3 >"$tmp/batch.out" 2>"$tmp/batch.err" &
bpid=$!
pids+=("$bpid")
sleep 1.2 # the first snapshot (priming sample + delay) is out by now
check_maps batch "$bpid"
wait "$bpid"
rc=$?
[ "$rc" = 0 ] || bad "--batch exited $rc: $(cat "$tmp/batch.err")"
[ "$(wc -l <"$tmp/batch.out")" = 3 ] || bad "--batch -n 3 printed $(wc -l <"$tmp/batch.out") lines"

# ---- the exporter ------------------------------------------------------------------
port=$(free_port)
"$VIGIL" --export prometheus --listen "127.0.0.1:$port" -d 0.5 2>"$tmp/export.err" &
epid=$!
pids+=("$epid")
served=0
for _ in $(seq 100); do
    if curl -sf -o "$tmp/metrics" "http://127.0.0.1:$port/metrics"; then
        served=1
        break
    fi
    kill -0 "$epid" 2>/dev/null || break
    sleep 0.1
done
mhd_file=""
if [ "$served" = 1 ]; then
    grep -q '^# TYPE vigil_cpu_seconds_total counter$' "$tmp/metrics" &&
        grep -q '^vigil_cpu_seconds_total{' "$tmp/metrics" &&
        ok "the exporter serves /metrics" || bad "/metrics lacks vigil_cpu_seconds_total"
    mhd_file=$(awk '$6 ~ /libmicrohttpd/ {print $6; exit}' "/proc/$epid/maps")
    if [ -n "$mhd_file" ]; then
        ok "the exporter maps $mhd_file"
    else
        bad "the exporter serves HTTP but maps no libmicrohttpd"
    fi
else
    bad "the exporter never answered /metrics: $(cat "$tmp/export.err")"
fi
kill -TERM "$epid" 2>/dev/null
wait "$epid"
rc=$?
[ "$rc" = 0 ] || bad "the exporter exited $rc on SIGTERM"

# ---- a libmicrohttpd that cannot be used ----------------------------------------
# In a private mount namespace the library file vigil mapped above is covered by a bind
# mount: /dev/null (dlopen fails) or another library (dlsym fails). Nothing else changes.
if [ "$(id -u)" = 0 ]; then
    ns=(unshare -m --propagation private)
else
    ns=(unshare -r -m --propagation private)
fi
other_lib=$(awk '$6 ~ /libinih|libtinfo/ {print $6; exit}' "$tmp/batch.maps" 2>/dev/null)
if [ -z "$mhd_file" ]; then
    bad "no libmicrohttpd path to hide (see above)"
elif ! "${ns[@]}" true 2>"$tmp/unshare.err"; then
    echo "SKIP: the load-failure cases: the kernel refuses a mount namespace: $(cat "$tmp/unshare.err")"
else
    # unusable COVER WANT: vigil with COVER bind-mounted over libmicrohttpd
    unusable() {
        local cover=$1 want=$2 port_ rc_
        port_=$(free_port)
        "${ns[@]}" sh -c 'mount --bind "$1" "$2" && shift 2 && exec "$@"' sh \
            "$cover" "$mhd_file" "$VIGIL" --export prometheus --listen "127.0.0.1:$port_" \
            >"$tmp/fail.out" 2>"$tmp/fail.err" </dev/null
        rc_=$?
        [ "$rc_" = 1 ] || bad "with $cover over libmicrohttpd: exit $rc_, want 1"
        [ "$(wc -l <"$tmp/fail.err")" = 1 ] ||
            bad "with $cover over libmicrohttpd: want one line on stderr, got: $(cat "$tmp/fail.err")"
        if grep -qE "^vigil: --export prometheus needs libmicrohttpd \(Debian package [a-z0-9.+-]+\): .*$want" \
            "$tmp/fail.err"; then
            ok "with $cover over libmicrohttpd: $(cat "$tmp/fail.err")"
        else
            bad "with $cover over libmicrohttpd, stderr: $(cat "$tmp/fail.err") (want '...$want')"
        fi
        [ -s "$tmp/fail.out" ] && bad "with $cover over libmicrohttpd: stdout not empty"
        if curl -s -o /dev/null "http://127.0.0.1:$port_/metrics"; then
            bad "something still serves 127.0.0.1:$port_"
        fi
    }
    unusable /dev/null "libmicrohttpd[^:]*: (file too short|invalid ELF header)"
    if [ -n "$other_lib" ]; then
        unusable "$other_lib" "undefined symbol: MHD_"
    else
        bad "found no second library in vigil's maps to stand in for libmicrohttpd"
    fi
fi

T kill-server 2>/dev/null
[ "$fail" = 0 ] && echo "PASS: export_dlopen"
exit "$fail"
