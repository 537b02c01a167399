# Screen helpers for the tests that drive vigil in tmux (sourced; not a test itself: ctest
# runs tests/integration/*.sh). The test defines T (tmux on its private socket) and bad
# (report a failure), and runs vigil in a session named "ui".

screen() { T capture-pane -p -t ui; }
screen_e() { T capture-pane -p -e -t ui; } # with colours, as escape sequences
# wait_for TEXT [SECONDS]: until the screen shows the fixed string TEXT (default 10 s)
wait_for() {
    local i
    for i in $(seq $((${2:-10} * 10))); do
        screen | grep -qF -- "$1" && return 0
        sleep 0.1
    done
    return 1
}
# wait_gone TEXT [SECONDS]: until the screen no longer shows TEXT
wait_gone() {
    local i
    for i in $(seq $((${2:-10} * 10))); do
        screen | grep -qF -- "$1" || return 0
        sleep 0.1
    done
    return 1
}
keys() { T send-keys -t ui "$@"; }
# expect TEXT [SECONDS]: wait_for, or a failure with the screen as it was
expect() { wait_for "$1" "${2:-10}" || { bad "screen never showed '$1'"; screen | sed 's/^/  | /'; }; }

# The server outlives each session: the tests kill their "ui" session and start the next
# at once, and a server still exiting because its last session went refuses that client
# ("server exited unexpectedly"). The test's cleanup kills the server.
T start-server \; set-option -g exit-empty off
