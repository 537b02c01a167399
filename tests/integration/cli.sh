#!/bin/bash
# The command line as a user meets it: bad values exit 2 with exactly one "vigil: " line
# on stderr, no terminal means exit 2 with a hint to --batch, --help and --version exit 0.
set -u
: "${VIGIL:?} ${SRC:?}"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail=0
bad() { echo "FAIL: $*"; fail=1; }

# usage_error ARGS... : status 2, stdout empty, stderr one line "vigil: ..."
usage_error() {
    "$VIGIL" "$@" </dev/null >"$tmp/out" 2>"$tmp/err"
    local rc=$? lines
    lines=$(wc -l <"$tmp/err")
    if [ "$rc" -ne 2 ]; then
        bad "vigil $* exited $rc, want 2"
    elif [ "$lines" -ne 1 ]; then
        bad "vigil $*: $lines stderr lines: $(cat "$tmp/err")"
    elif ! head -c 7 "$tmp/err" | grep -qx 'vigil: '; then
        bad "vigil $*: stderr does not start with 'vigil: ': $(cat "$tmp/err")"
    elif [ -s "$tmp/out" ]; then
        bad "vigil $*: wrote to stdout"
    fi
}

# message_has PATTERN ARGS... : a usage error whose message contains PATTERN
message_has() {
    local pat=$1
    shift
    usage_error "$@"
    grep -qF -- "$pat" "$tmp/err" || bad "vigil $*: message lacks '$pat': $(cat "$tmp/err")"
}

message_has "0.1 to 3600" -d abc
message_has "0.1 to 3600" --delay 1.5x
message_has "0.1 to 3600" -d nan
message_has "0.1 to 3600" -d inf
message_has "0.1 to 3600" -d ""
message_has "0.1 to 3600" -d 0.05
message_has "0.1 to 3600" -d 3601
message_has "0.1 to 3600" -d -1
message_has "needs a value" -d
message_has "--sort" -s nosuchcolumn
message_has "--sort" --sort ""
message_has "separated by commas" -p 1,x
message_has "separated by commas" -p ""
message_has "separated by commas" -p 0
message_has "separated by commas" --pid=1,,2
message_has "numeric uid" -u no-such-user-vigil
message_has "numeric uid" -u ""
message_has "theme" --theme ""
message_has "cannot read theme" --batch --theme /nonexistent/vigil.theme
message_has "cannot read theme" --export prometheus --theme no-such-theme-vigil
message_has "config" --config ""
message_has "1 or more" -b -n 0
message_has "1 or more" -b -n abc
message_has "1 or more" -b --iterations=-3
message_has "text or json" -b -f xml
message_has "text or json" -b --format ""
message_has "prometheus" --export nagios
message_has "1 to 65535" --export prometheus --listen 127.0.0.1:0
message_has "1 to 65535" --export prometheus --listen 127.0.0.1
message_has "[::1]" --export prometheus --listen ::1:9877
message_has "0 or more" --export prometheus --export-processes -1
message_has "unknown option" --frobnicate
message_has "unknown option" -Q
message_has "takes no value" --batch=1
message_has "unexpected argument" top
message_has "unexpected argument" -b extra
message_has "together" --batch --export prometheus
message_has "--batch" -n 3
message_has "--batch" -f json
message_has "--export" --listen 127.0.0.1:9999
# a hostile value cannot break the one-line rule
message_has "0.1 to 3600" -d $'1\n2'

# No terminal: the interactive monitor refuses and points to --batch.
"$VIGIL" </dev/null 2>"$tmp/err" | cat >"$tmp/out"
rc=${PIPESTATUS[0]}
[ "$rc" -eq 2 ] || bad "vigil without a terminal exited $rc, want 2"
[ "$(wc -l <"$tmp/err")" -eq 1 ] || bad "no-terminal message is not one line: $(cat "$tmp/err")"
grep -q '^vigil: .*--batch' "$tmp/err" || bad "no-terminal message lacks --batch: $(cat "$tmp/err")"
[ -s "$tmp/out" ] && bad "no-terminal run wrote to stdout"
"$VIGIL" -d 2 -s pid -t </dev/null >/dev/null 2>"$tmp/err"
[ $? -eq 2 ] && grep -q -- '--batch' "$tmp/err" || bad "vigil -d 2 -t without a terminal: $(cat "$tmp/err")"

# --help: exit 0, every option of the contract listed, nothing on stderr.
"$VIGIL" --help >"$tmp/out" 2>"$tmp/err"
rc=$?
[ "$rc" -eq 0 ] || bad "--help exited $rc"
[ -s "$tmp/err" ] && bad "--help wrote to stderr: $(cat "$tmp/err")"
for opt in -d --delay -s --sort -p --pid -u --user -t --tree -C --no-color --theme --config \
    -b --batch -n --iterations -f --format --export --listen --export-processes -h --help \
    -V --version NO_COLOR; do
    grep -qE -- "(^|[ ,])$opt([ ,=]|$)" "$tmp/out" || bad "--help does not mention $opt"
done
"$VIGIL" -h >"$tmp/out2" 2>/dev/null && cmp -s "$tmp/out" "$tmp/out2" || bad "-h differs from --help"
# help wins over a mistake on the same line
"$VIGIL" -d abc --help >/dev/null 2>&1 || bad "--help after a bad value did not exit 0"

# --version: "vigil X.Y.Z" as CMakeLists.txt declares it.
want=$(sed -n 's/^project(vigil VERSION \([0-9.]*\).*/\1/p' "$SRC/CMakeLists.txt")
got=$("$VIGIL" --version)
rc=$?
[ "$rc" -eq 0 ] || bad "--version exited $rc"
[ "$got" = "vigil $want" ] || bad "--version printed '$got', want 'vigil $want'"
[ "$("$VIGIL" -V)" = "$got" ] || bad "-V differs from --version"

[ "$fail" -eq 0 ] && echo "PASS"
exit "$fail"
