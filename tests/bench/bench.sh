#!/usr/bin/env bash
# vigil's benchmark: CPU per refresh of vigil's probe and interactive UI beside htop's and
# top's, measured in the same run against N idle processes; RSS, first frame and key
# latency of the UIs; the interface refresh with 100 interfaces. Run by hand, prints a
# table; see doc/benchmark.md for what each figure means and how it is measured.
set -u

usage() {
    cat <<'EOF'
usage: tests/bench/bench.sh [options]
  --procs LIST     idle process counts to measure at (default 1000,10000)
  --delay S        refresh delay for every monitor, seconds (default 1)
  --seconds S      measuring window per monitor, seconds (default 15)
  --samples K      vigil probe refreshes per mode (default 10)
  --ifaces N       interfaces for the interface refresh (default 100; 0 skips it)
  --keys N         key presses for the latency figures (default 8)
  --skip LIST      parts to leave out: probe,htop,top,ui,ifaces (procs: all but ifaces)
  --fork           idle processes with their own address space (slower to start)
  --nice N         run everything (monitors, tmux, probe) at niceness N; on a busy machine
                   -10 keeps the others from stretching the figures (root for N < 0)
  --build DIR      a configured build tree to use (default: build-bench in the source
                   tree, configured RelWithDebInfo and built by this script)
  -h, --help       this text
Needs root for fanotify (refresh counting), network namespaces and raising pid_max.
EOF
}

PROCS=1000,10000
DELAY=1
SECONDS_WINDOW=15
SAMPLES=10
IFACES=100
KEYS=8
SKIP=
FORK=
NICE=0
BUILD=
ARGS=("$@")
while [ $# -gt 0 ]; do
    case "$1" in
    --procs) PROCS=$2; shift 2 ;;
    --delay) DELAY=$2; shift 2 ;;
    --seconds) SECONDS_WINDOW=$2; shift 2 ;;
    --samples) SAMPLES=$2; shift 2 ;;
    --ifaces) IFACES=$2; shift 2 ;;
    --keys) KEYS=$2; shift 2 ;;
    --skip) SKIP=$2; shift 2 ;;
    --fork) FORK=--fork; shift ;;
    --nice) NICE=$2; shift 2 ;;
    --build) BUILD=$2; shift 2 ;;
    -h | --help) usage; exit 0 ;;
    *) echo "bench.sh: unknown option '$1'" >&2; usage >&2; exit 2 ;;
    esac
done
number='^[0-9]+([.][0-9]+)?$'
for v in "$DELAY" "$SECONDS_WINDOW"; do
    [[ $v =~ $number ]] || { echo "bench.sh: '$v' is not a number of seconds" >&2; exit 2; }
done
for v in "$SAMPLES" "$IFACES" "$KEYS"; do
    [[ $v =~ ^[0-9]+$ ]] || { echo "bench.sh: '$v' is not a count" >&2; exit 2; }
done
[[ $NICE =~ ^-?[0-9]+$ ]] || { echo "bench.sh: --nice wants an integer" >&2; exit 2; }
[ "$SAMPLES" -ge 2 ] || { echo "bench.sh: --samples needs at least 2" >&2; exit 2; }
[[ $PROCS =~ ^[0-9]+(,[0-9]+)*$ ]] || { echo "bench.sh: --procs wants N[,N...]" >&2; exit 2; }
awk -v d="$DELAY" 'BEGIN { exit !(d >= 0.1) }' || { echo "bench.sh: --delay is at least 0.1" >&2; exit 2; }

skipped() { [[ ",$SKIP," == *",$1,"* ]]; }
log() { printf '[bench %s] %s\n' "$(date +%T)" "$*" >&2; }

SRC=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
BENCH_DIR=$SRC/tests/bench

# --- build (once, before we put ourselves under the subreaper) ---
if [ -z "${VIGIL_BENCH_REAPED:-}" ]; then
    if [ -z "$BUILD" ]; then
        BUILD=$SRC/build-bench
        if [ ! -f "$BUILD/CMakeCache.txt" ]; then
            log "configuring $BUILD (RelWithDebInfo)"
            # Warnings are the test suite's business, not a reason to measure nothing.
            cmake -S "$SRC" -B "$BUILD" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DVIGIL_WERROR=OFF \
                >/dev/null || exit 1
        fi
    fi
    log "building in $BUILD"
    build_log=$(mktemp)
    cmake --build "$BUILD" -j2 --target vigil vigil_bench spawn_idle refresh_watch subreaper \
        >"$build_log" 2>&1 || { cat "$build_log" >&2; rm -f "$build_log"; exit 1; }
    rm -f "$build_log"
    # PID 1 here does not reap orphans and tmux daemonizes its server: run everything
    # under a child subreaper so that no process we start ends as a zombie.
    export VIGIL_BENCH_REAPED=1 VIGIL_BENCH_BUILD=$BUILD
    # Everything the run starts inherits the niceness: the monitors are all treated alike.
    # In a session of our own: with sched_autogroup that is a scheduling group of our own,
    # whose niceness --nice sets without touching the caller's.
    exec nice -n "$NICE" "$BUILD/tests/subreaper" -s bash "${BASH_SOURCE[0]}" "${ARGS[@]}"
fi
BUILD=$VIGIL_BENCH_BUILD
T=$BUILD/tests
VIGIL=$BUILD/vigil

# --- state for cleanup ---
TMP=$(mktemp -d /tmp/vigil-bench.XXXXXX)
SOCK=$TMP/tmux.sock # private server, removed with TMP
TMUX_UP=
SPAWNER=
NETNS=
PEERNS=
RESTORE_PID_MAX=
RESTORE_THREADS_MAX=

cleanup() {
    trap '' INT TERM
    [ -n "$STEP" ] && kill -TERM "$STEP" 2>/dev/null
    if [ -n "$TMUX_UP" ]; then
        # Stop the monitors while the server is alive to reap them, then the server.
        local pids i
        pids=$(tmux -S "$SOCK" list-panes -a -F '#{pane_dead} #{pane_pid}' 2>/dev/null |
            awk '$1 == 0 { print $2 }')
        [ -n "$pids" ] && kill -TERM $pids 2>/dev/null
        for i in $(seq 30); do
            tmux -S "$SOCK" list-panes -a -F '#{pane_dead}' 2>/dev/null | grep -q 0 || break
            sleep 0.1
        done
        [ -n "$pids" ] && kill -KILL $pids 2>/dev/null
        tmux -S "$SOCK" kill-server 2>/dev/null
    fi
    stop_spawner
    [ -n "$NETNS" ] && ip netns del "$NETNS" 2>/dev/null
    [ -n "$PEERNS" ] && ip netns del "$PEERNS" 2>/dev/null
    [ -n "$RESTORE_PID_MAX" ] && echo "$RESTORE_PID_MAX" >/proc/sys/kernel/pid_max
    [ -n "$RESTORE_THREADS_MAX" ] && echo "$RESTORE_THREADS_MAX" >/proc/sys/kernel/threads-max
    rm -rf "$TMP"
}
trap cleanup EXIT
trap 'log interrupted; exit 130' INT
trap 'log terminated; exit 143' TERM

# note_tasks N: keeps the most threads the machine had during the current row.
ROW_TASKS=0
note_tasks() { [ -n "$1" ] && [ "$1" -gt "$ROW_TASKS" ] && ROW_TASKS=$1; return 0; }

# run CMD...: runs CMD in the background and waits for it, so that Ctrl-C or SIGTERM
# runs the trap at once rather than after CMD; CMD's standard output ends up in $OUT.
STEP=
run() {
    "$@" >"$TMP/out" &
    STEP=$!
    wait "$STEP"
    local rc=$?
    STEP=
    OUT=$(cat "$TMP/out")
    return $rc
}

stop_spawner() {
    if [ -n "$SPAWNER" ]; then
        kill -TERM "$SPAWNER" 2>/dev/null
        wait "$SPAWNER" 2>/dev/null
        SPAWNER=
    fi
}

# kv KEY LINE: the value of KEY in a line of key=value pairs.
kv() { sed -n "s/.*\\b$1=\\([^ ]*\\).*/\\1/p" <<<"$2"; }
kb_to_mb() { awk -v k="$1" 'BEGIN { printf "%.1f", k / 1024 }'; }
vm_rss_kb() { awk '/^VmRSS:/ { print $2 }' "/proc/$1/status" 2>/dev/null; }
ratio() {
    awk -v a="$1" -v b="$2" 'BEGIN {
        if (a == "" || b == "" || a !~ /^[0-9.]+$/ || b !~ /^[0-9.]+$/ || b + 0 == 0) print "n/a";
        else printf "%.2f", a / b }'
}

IS_ROOT=
[ "$(id -u)" = 0 ] && IS_ROOT=1

# set_group_nice PID: with sched_autogroup, niceness only weighs inside a session's group;
# between groups (ours, tmux's, everyone else's) the group's own niceness counts.
GROUP_NICE=
[ "$NICE" != 0 ] && [ "$(cat /proc/sys/kernel/sched_autogroup_enabled 2>/dev/null)" = 1 ] &&
    GROUP_NICE=1
set_group_nice() {
    [ -n "$GROUP_NICE" ] &&
        { echo "$NICE" >"/proc/$1/autogroup" || log "cannot set the scheduling group's niceness"; }
    return 0
}
set_group_nice $$

# --- tools ---
HAVE_HTOP=1
if ! command -v htop >/dev/null; then
    if [ -n "$IS_ROOT" ] && command -v apt-get >/dev/null; then
        log "installing htop"
        apt-get install -y htop >/dev/null 2>&1 || { apt-get update >/dev/null 2>&1 &&
            apt-get install -y htop >/dev/null 2>&1; }
    fi
    command -v htop >/dev/null || { HAVE_HTOP=; log "htop is missing (Debian package htop; install it as root)"; }
fi
HAVE_TOP=1
command -v top >/dev/null || { HAVE_TOP=; log "top is missing (Debian package procps)"; }
for tool in tmux python3; do
    command -v $tool >/dev/null || { echo "bench.sh: $tool is required" >&2; exit 1; }
done
# The system interpreter: a version manager's shim (pyenv) costs seconds per start.
PY=python3
[ -x /usr/bin/python3 ] && PY=/usr/bin/python3
WATCH_OK=1
WATCH_WHY=
if [ -z "$IS_ROOT" ]; then
    WATCH_OK=
    WATCH_WHY="needs root"
fi

# --- process-table room: pid_max, threads-max, RLIMIT_NPROC ---
max_procs=0
for n in ${PROCS//,/ }; do [ "$n" -gt "$max_procs" ] && max_procs=$n; done
count_procs() { local p=(/proc/[0-9]*); echo ${#p[@]}; }
# Every thread takes a PID: count tasks (loadavg's R/N), not processes.
existing=$(awk '{ split($4, a, "/"); print a[2] }' /proc/loadavg)
need=$((max_procs + existing + 4096))
pid_max=$(cat /proc/sys/kernel/pid_max)
if [ "$pid_max" -lt "$need" ]; then
    if [ -n "$IS_ROOT" ]; then
        log "raising kernel.pid_max $pid_max -> $need for the run"
        RESTORE_PID_MAX=$pid_max
        echo "$need" >/proc/sys/kernel/pid_max
    else
        log "kernel.pid_max $pid_max may be too small for $max_procs processes (need root to raise)"
    fi
fi
threads_max=$(cat /proc/sys/kernel/threads-max)
if [ "$threads_max" -lt "$need" ] && [ -n "$IS_ROOT" ]; then
    log "raising kernel.threads-max $threads_max -> $need for the run"
    RESTORE_THREADS_MAX=$threads_max
    echo "$need" >/proc/sys/kernel/threads-max
fi
nproc_hard=$(ulimit -Hu)
if [ "$nproc_hard" != unlimited ] && [ "$nproc_hard" -lt "$need" ] && [ -z "$IS_ROOT" ]; then
    log "ulimit -u hard limit $nproc_hard is below $need: large counts may fail to spawn"
fi
ulimit -Su "$nproc_hard" 2>/dev/null

# --- tmux: one private server, 200x50 windows, panes kept after exit for diagnosis ---
HOME_DIR=$TMP/home
mkdir -p "$HOME_DIR/.config"
if ! tmux -S "$SOCK" -f /dev/null new-session -d -s hold -x 200 -y 50 cat; then
    echo "bench.sh: cannot start tmux" >&2
    exit 1
fi
TMUX_UP=1
set_group_nice "$(tmux -S "$SOCK" display -p '#{pid}')"
tmux -S "$SOCK" set -g remain-on-exit on >/dev/null
# Every monitor sees the same clean environment (no user config is read or written).
ENV="env -i PATH=$PATH HOME=$HOME_DIR XDG_CONFIG_HOME=$HOME_DIR/.config TERM=screen LANG=C.UTF-8"
HTOP_DELAY=$(awk -v d="$DELAY" 'BEGIN { printf "%d", d * 10 + 0.5 }')

run "$PY" "$BENCH_DIR/tui.py" baseline "$SOCK" "$(tmux -S "$SOCK" display -p -t hold:0 '#{pane_id}')" 5
BASELINE_MS=$(kv median_ms "$OUT")

# measure_tui NAME KEYS(0/1) CMD: runs CMD in tmux; sets R_FRAME R_CPU R_REFRESHES R_PERIOD
# R_BG R_RSS R_KEY R_KEYMAX R_NOTE.
measure_tui() {
    local name=$1 keys=$2 cmd=$3 out pane pid watch lat
    R_FRAME= R_CPU= R_REFRESHES= R_PERIOD= R_BG= R_RSS= R_KEY= R_KEYMAX= R_NOTE=
    # tmux gives each pane a session, hence a scheduling group, of its own: the monitor
    # sets that group's niceness itself before it starts.
    local prefix=
    [ -n "$GROUP_NICE" ] && prefix="echo $NICE >/proc/\$\$/autogroup; "
    run "$PY" "$BENCH_DIR/tui.py" start "$SOCK" 60 -- "${prefix}exec $ENV $cmd"
    out=$OUT
    pane=$(kv pane "$out")
    if [ -n "$(kv status "$out")" ]; then
        R_NOTE="$(kv status "$out"): ${out#*text=}"
        [ -n "$pane" ] && "$PY" "$BENCH_DIR/tui.py" stop "$SOCK" "$pane" >/dev/null
        return 1
    fi
    pid=$(kv pid "$out")
    R_FRAME=$(kv first_frame_ms "$out")
    if [ -n "$WATCH_OK" ]; then
        run "$T/refresh_watch" -p "$pid" -d "$DELAY" -t "$SECONDS_WINDOW" -w 2
        watch=$OUT
        if [ -z "$(kv ms_per_refresh "$watch")" ]; then
            R_NOTE="refresh count failed: ${watch#error=}"
        else
            R_CPU=$(kv ms_per_refresh "$watch")
            R_REFRESHES=$(kv refreshes "$watch")
            R_PERIOD=$(kv period_ms "$watch")
            R_BG=$(kv bg_cores "$watch")
            note_tasks "$(kv max_tasks "$watch")"
        fi
    else
        R_NOTE=$WATCH_WHY
        sleep 2
    fi
    R_RSS=$(vm_rss_kb "$pid")
    if [ "$keys" = 1 ] && [ "$KEYS" -gt 0 ]; then
        run "$PY" "$BENCH_DIR/tui.py" keys "$SOCK" "$pane" "$KEYS"
        lat=$OUT
        R_KEY=$(kv median_ms "$lat")
        R_KEYMAX=$(kv max_ms "$lat")
        [ -z "$R_KEY" ] && R_KEY="n/a (${lat})"
    fi
    "$PY" "$BENCH_DIR/tui.py" stop "$SOCK" "$pane" >/dev/null ||
        log "$name did not stop"
    log "$name: first frame ${R_FRAME} ms, ${R_CPU:-?} ms/refresh over ${R_REFRESHES:-?} refreshes (period ${R_PERIOD:-?} ms, others ${R_BG:-?} cores), RSS ${R_RSS:-?} kB, key ${R_KEY:-?} ms ${R_NOTE}"
    return 0
}

# probe_run MODE [PREFIX...]: one vigil_bench run; sets P_COLD P_MED P_P90 P_BG P_N P_NOTE.
probe_run() {
    local mode=$1 out
    shift
    P_COLD= P_MED= P_P90= P_BG= P_N= P_NOTE=
    run "$@" "$T/vigil_bench" --mode "$mode" -k "$SAMPLES" -d "$DELAY"
    out=$(tail -n 1 <<<"$OUT")
    if [ -z "$(kv warm_median_ms "$out")" ]; then
        case "$out" in
        *"Function not implemented"* | *"not built"*) P_NOTE="n/a (probe not built)" ;;
        *) P_NOTE="n/a (${out#error=})" ;;
        esac
        log "vigil probe $mode: $out"
        return 1
    fi
    P_COLD=$(kv cold_ms "$out")
    P_MED=$(kv warm_median_ms "$out")
    P_P90=$(kv warm_p90_ms "$out")
    P_BG=$(kv bg_cores "$out")
    note_tasks "$(kv max_tasks "$out")"
    P_N=$(kv procs "$out")
    [ "$mode" = ifaces ] && P_N=$(kv ifaces "$out")
    log "vigil probe $mode: $out"
}

fmt3() { # cold/median/p90 or the note
    if [ -n "$P_MED" ]; then printf '%s/%s/%s' "$(round "$P_COLD")" "$(round "$P_MED")" "$(round "$P_P90")"; else printf '%s' "$P_NOTE"; fi
}
round() { awk -v v="$1" 'BEGIN { if (v < 10) printf "%.1f", v; else printf "%.0f", v }'; }
# show VALUE NOTE: the value, or the note when there is none.
show() { if [ -n "$1" ]; then printf '%s' "$1"; else printf '%s' "${2:-n/a}"; fi; }

ROWS_MAIN=()
ROWS_UI=()
MAIN_FMT='%-7s %-6s %-21s %-21s %-19s %-13s %-13s %-10s %-9s %-7s %s'
UI_FMT='%-7s %-19s %-8s %-8s %-19s %-10s %-9s %-19s %s'
kb_cell() { if [ -n "$1" ]; then kb_to_mb "$1"; else printf '%s' "${2:--}"; fi; }
LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)
START=$(date +%s)

PROC_COUNTS=${PROCS//,/ }
skipped procs && PROC_COUNTS=
for n in $PROC_COUNTS; do
    log "=== $n idle processes ==="
    rm -f "$TMP/ready"
    "$T/spawn_idle" $FORK "$n" "$TMP/ready" &
    SPAWNER=$!
    # fork() costs milliseconds per child here, clone(CLONE_VM) a fraction of one.
    if [ -n "$FORK" ]; then limit=$((60 + n / 20)); else limit=$((60 + n / 100)); fi
    deadline=$(($(date +%s) + limit))
    while [ ! -f "$TMP/ready" ]; do
        if ! kill -0 "$SPAWNER" 2>/dev/null || [ "$(date +%s)" -gt "$deadline" ]; then
            log "could not start $n processes within ${limit}s; skipping this count"
            stop_spawner
            continue 2
        fi
        sleep 0.05
    done
    total=$(count_procs)
    ROW_TASKS=$(awk '{ split($4, a, "/"); print a[2] }' /proc/loadavg)
    log "$n idle processes ready ($total processes on the machine)"
    sleep 1 # let every child reach pause()

    probe_cell="skipped" all_cell="skipped" probe_med= probe_bg=
    if ! skipped probe; then
        probe_run procs
        probe_cell=$(fmt3) probe_med=$P_MED probe_bg=$P_BG
        probe_run all
        all_cell=$(fmt3)
    fi

    htop_cell=skipped htop_cpu= htop_bg=
    htop_frame= htop_rss= htop_key= htop_keymax=
    if ! skipped htop; then
        if [ -z "$HAVE_HTOP" ]; then
            htop_cell="n/a (no htop)"
        elif measure_tui htop 1 "htop -d $HTOP_DELAY"; then
            htop_cpu=$R_CPU htop_bg=$R_BG htop_frame=$R_FRAME htop_rss=$R_RSS
            htop_key=$R_KEY htop_keymax=$R_KEYMAX
            htop_cell=$(show "$R_CPU" "n/a ($R_NOTE)")
            [ -n "$R_CPU" ] && htop_cell="$R_CPU ($R_REFRESHES)"
        else
            htop_cell="n/a ($R_NOTE)"
        fi
    fi

    top_cell=skipped top_cpu= top_bg= top_frame= top_rss=
    if ! skipped top; then
        if [ -z "$HAVE_TOP" ]; then
            top_cell="n/a (no top)"
        elif measure_tui top 0 "top -d $DELAY"; then
            top_cpu=$R_CPU top_bg=$R_BG top_frame=$R_FRAME top_rss=$R_RSS
            top_cell=$(show "$R_CPU" "n/a ($R_NOTE)")
            [ -n "$R_CPU" ] && top_cell="$R_CPU ($R_REFRESHES)"
        else
            top_cell="n/a ($R_NOTE)"
        fi
    fi

    ui_cell=skipped ui_cpu= ui_bg= ui_frame= ui_rss= ui_key= ui_keymax= ui_na=skipped
    if ! skipped ui; then
        if measure_tui vigil 1 "$VIGIL -d $DELAY"; then
            ui_cpu=$R_CPU ui_bg=$R_BG ui_frame=$R_FRAME ui_rss=$R_RSS ui_key=$R_KEY ui_keymax=$R_KEYMAX
            ui_cell=$(show "$R_CPU" "n/a ($R_NOTE)")
            [ -n "$R_CPU" ] && ui_cell="$R_CPU ($R_REFRESHES)"
            ui_na=
        else
            case "$R_NOTE" in
            dead:*) ui_na="n/a (UI not built)" ;;
            *) ui_na="n/a ($R_NOTE)" ;;
            esac
            # Keep vigil's own words for the log: a crash must not pass for "not built".
            log "vigil UI: ${R_NOTE:0:200}"
            ui_cell=$ui_na
        fi
    fi
    stop_spawner

    bg=$(printf '%s/%s/%s/%s' "$(show "$probe_bg" -)" "$(show "$htop_bg" -)" "$(show "$top_bg" -)" "$(show "$ui_bg" -)")
    ROWS_MAIN+=("$(printf "$MAIN_FMT" "$n" "$ROW_TASKS" "$probe_cell" "$all_cell" "$ui_cell" "$htop_cell" \
        "$top_cell" "$(ratio "$probe_med" "$htop_cpu")" "$(ratio "$probe_med" "$top_cpu")" \
        "$(if [ -n "$ui_na" ]; then echo n/a; else ratio "$ui_cpu" "$htop_cpu"; fi)" "$bg")")
    ROWS_UI+=("$(printf "$UI_FMT" "$n" \
        "$(kb_cell "$ui_rss" "$ui_na")" "$(kb_cell "$htop_rss")" "$(kb_cell "$top_rss")" \
        "$(show "$ui_frame" "$ui_na")" "$(show "$htop_frame" -)" "$(show "$top_frame" -)" \
        "$(if [ -n "$ui_key" ]; then echo "$ui_key/$ui_keymax"; else show "" "$ui_na"; fi)" \
        "$(if [ -n "$htop_key" ]; then echo "$htop_key/$htop_keymax"; else echo -; fi)")")
done

# --- interfaces: N veth in a private namespace, peers in a second one ---
if_cell=skipped
if [ "$IFACES" -gt 0 ] && ! skipped ifaces; then
    if [ -z "$IS_ROOT" ]; then
        if_cell="n/a (needs root for network namespaces)"
    else
        NETNS=vbench-$$
        PEERNS=vbench-peer-$$
        if ip netns add "$NETNS" && ip netns add "$PEERNS"; then
            : >"$TMP/ns.batch"
            : >"$TMP/peer.batch"
            echo "link set lo up" >>"$TMP/ns.batch"
            for i in $(seq 1 "$IFACES"); do
                {
                    echo "link add vb$i type veth peer name vp$i netns $PEERNS"
                    echo "link set vb$i up"
                    echo "address add 10.$((i / 250)).$((i % 250)).1/24 dev vb$i"
                    echo "address add fd00:$i::1/64 dev vb$i"
                } >>"$TMP/ns.batch"
                echo "link set vp$i up" >>"$TMP/peer.batch"
            done
            if ip -n "$NETNS" -batch "$TMP/ns.batch" && ip -n "$PEERNS" -batch "$TMP/peer.batch"; then
                sleep 1
                log "=== $IFACES veth interfaces in netns $NETNS ==="
                if probe_run ifaces ip netns exec "$NETNS"; then
                    if_cell="$(fmt3) ms (cold/median/p90) over $P_N interfaces, others ${P_BG} cores"
                else
                    if_cell=$P_NOTE
                fi
            else
                if_cell="n/a (could not create the interfaces)"
            fi
        else
            if_cell="n/a (ip netns add refused)"
        fi
        ip netns del "$NETNS" 2>/dev/null
        ip netns del "$PEERNS" 2>/dev/null
        NETNS= PEERNS=
    fi
fi

# --- report ---
ELAPSED=$(($(date +%s) - START))
cpu_model=$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n 1)
echo
echo "vigil benchmark  $(date '+%F %T')  $(git -C "$SRC" rev-parse --short HEAD 2>/dev/null)  build $(sed -n 's/^CMAKE_BUILD_TYPE:STRING=//p' "$BUILD/CMakeCache.txt")"
echo "machine: $(nproc) CPUs ($cpu_model), kernel $(uname -r), $(awk '/MemTotal/ { printf "%.0f GB", $2 / 1048576 }' /proc/meminfo)"
echo "load average before: $LOAD_BEFORE  after: $(cut -d' ' -f1-3 /proc/loadavg)  run: ${ELAPSED}s"
echo "delay ${DELAY}s, window ${SECONDS_WINDOW}s per monitor, ${SAMPLES} probe refreshes per mode, tmux 200x50, nice $(nice)$( [ -n "$FORK" ] && echo ', forked processes')"
if [ ${#ROWS_MAIN[@]} -gt 0 ]; then
    echo
    echo "CPU per refresh, ms. vigil probe: cold/median/p90 (in-process clock); htop, top, vigil UI: mean"
    echo "(refreshes counted). procs: idle processes spawned; tasks: most threads on the machine during the row"
    printf "$MAIN_FMT\n" procs tasks vigil-probe vigil-probe-all vigil-ui htop top probe/htop probe/top \
        ui/htop "others (cores): probe/htop/top/ui"
    for r in "${ROWS_MAIN[@]}"; do echo "$r"; done
    echo
    echo "Interactive, in tmux 200x50: RSS MB, first full frame ms after launch, key latency ms (median/max)"
    printf "$UI_FMT\n" procs vigil-RSS htop-RSS top-RSS vigil-frame htop-frame top-frame vigil-key \
        htop-key
    for r in "${ROWS_UI[@]}"; do echo "$r"; done
    echo "(tmux round trip included in key latency: ${BASELINE_MS:-?} ms median)"
    echo "others: CPU the rest of the machine used during each measurement, in cores"
fi
echo
echo "Interfaces @${IFACES}: vigil probe interface refresh: $if_cell"
