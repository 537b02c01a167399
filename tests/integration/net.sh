#!/bin/bash
# Network interfaces (issue 3) against the kernel's own view, inside network namespaces
# this test creates and always removes: loopback up; a veth pair to a second namespace
# with an IPv4 /24 plus broadcast, two IPv6 addresses and MTU 1400, a 15-character name;
# a veth pair left down (one end with an address); a point-to-point address on a tun
# device; bounded UDP traffic across the veth while vigil samples. vigil's JSON is compared
# with `ip -j addr/link`, SIOCGIFFLAGS, sysfs (mtu, speed, duplex, statistics/*) and
# ETHTOOL_GSET where sysfs will not answer (down links) by tests/integration/net_check.py.
set -uo pipefail
: "${VIGIL:?VIGIL must name the vigil binary}"
CHECK="${TESTS:-$(dirname "$0")/..}/integration/net_check.py"
# the system interpreter: a version-manager shim can take seconds to start on a busy box
PY=python3
[ -x /usr/bin/python3 ] && PY=/usr/bin/python3

if [ "$(id -u)" != 0 ]; then
    echo "SKIP: network namespaces need root (uid $(id -u))"
    exit 0
fi
command -v ip >/dev/null || { echo "FAIL: iproute2 (ip) is missing"; exit 1; }

NSA=vigil-net-$$-a
NSB=vigil-net-$$-b
WORK=$(mktemp -d)
SENDERS=()
cleanup() {
    touch "$WORK/stop"
    for p in "${SENDERS[@]}"; do
        kill "$p" 2>/dev/null
        wait "$p" 2>/dev/null
    done
    ip netns del "$NSA" 2>/dev/null
    ip netns del "$NSB" 2>/dev/null
    rm -rf "$WORK"
}
trap cleanup EXIT

if ! err=$(ip netns add "$NSA" 2>&1); then
    echo "SKIP: the kernel refuses network namespaces: $err"
    exit 0
fi
ip netns add "$NSB" || { echo "FAIL: second namespace"; exit 1; }

fail() {
    echo "FAIL: $*"
    exit 1
}
ina() { ip netns exec "$NSA" "$@"; }
inb() { ip netns exec "$NSB" "$@"; }

VETH=vigil-veth-15ch # 15 characters, the longest name the kernel takes
[ ${#VETH} = 15 ] || fail "name length"
for ns in "$NSA" "$NSB"; do
    # addresses are static for the run: no duplicate address detection to wait for
    ip netns exec "$ns" sh -c 'echo 0 > /proc/sys/net/ipv6/conf/default/accept_dad;
                               echo 0 > /proc/sys/net/ipv6/conf/all/accept_dad' ||
        fail "sysctl in $ns"
done
ina ip link set lo up || fail "lo up"
ina ip link add "$VETH" type veth peer name vpeer netns "$NSB" || fail "veth pair"
ina ip link set "$VETH" mtu 1400 || fail "mtu"
ina ip addr add 10.77.0.1/24 broadcast 10.77.0.255 dev "$VETH" || fail "inet"
ina ip addr add fd77::1/64 dev "$VETH" nodad || fail "inet6 /64"
ina ip addr add fd78::1/127 dev "$VETH" nodad || fail "inet6 /127"
ina ip link set "$VETH" up || fail "veth up"
inb ip link set lo up
inb ip addr add 10.77.0.2/24 broadcast 10.77.0.255 dev vpeer || fail "peer inet"
inb ip addr add fd77::2/64 dev vpeer nodad || fail "peer inet6"
inb ip link set vpeer up || fail "peer up"
# a second pair left down; one end keeps an address anyway
ina ip link add vdown0 type veth peer name vdown1 || fail "down pair"
ina ip addr add 192.0.2.1/28 dev vdown0 || fail "down inet"
# point-to-point: a tun device when the kernel has one, else a peer address on the veth
if ina ip tuntap add mode tun dev vtun0 2>"$WORK/tun.err"; then
    PTP_DEV=vtun0
    ina ip link set vtun0 up || fail "tun up"
else
    echo "note: no tun device ($(cat "$WORK/tun.err")); peer address on vdown0 instead"
    PTP_DEV=vdown0
fi
ina ip addr add 10.9.9.1 peer 10.9.9.2/32 dev "$PTP_DEV" || fail "peer address"

# bounded traffic both ways across the veth (UDP to the discard port; the far side's ICMP
# replies are traffic too), for at most 20 s, stopped when vigil is done
ina "$PY" "$CHECK" send 10.77.0.2 4000 "$WORK/stop" &
SENDERS+=($!)
inb "$PY" "$CHECK" send 10.77.0.1 4000 "$WORK/stop" &
SENDERS+=($!)
sleep 0.3

ina "$PY" "$CHECK" kernel >"$WORK/before.json" || fail "kernel view before"
ina "$VIGIL" --batch --format json -n 2 -d 0.5 >"$WORK/vigil.jsonl" 2>"$WORK/vigil.err"
rc=$?
ina "$PY" "$CHECK" kernel >"$WORK/after.json" || fail "kernel view after"
touch "$WORK/stop"
if [ $rc != 0 ]; then
    cat "$WORK/vigil.err"
    fail "vigil exited $rc"
fi
[ -s "$WORK/vigil.err" ] && { echo "vigil stderr:"; cat "$WORK/vigil.err"; }

"$PY" "$CHECK" compare "$WORK/before.json" "$WORK/after.json" "$WORK/vigil.jsonl" "$VETH" ||
    fail "vigil's interfaces differ from the kernel's (above)"

# Setup facts the comparison relies on, asserted on vigil's output directly.
"$PY" - "$WORK/vigil.jsonl" "$VETH" "$PTP_DEV" <<'PY' || fail "setup facts"
import json, sys
snap = [json.loads(l) for l in open(sys.argv[1]) if l.strip()][-1]
ifs = {i["name"]: i for i in snap["interfaces"]}
veth, ptp = ifs[sys.argv[2]], ifs[sys.argv[3]]
def check(what, cond):
    if not cond:
        print("FAIL:", what)
        sys.exit(1)
check("lo is up and LOOPBACK", ifs["lo"]["up"] and "LOOPBACK" in ifs["lo"]["flags"])
check("veth mtu 1400", veth["mtu"] == 1400)
check("veth 10000 Mb/s full", veth["speed_mbps"] == 10000 and veth["duplex"] == "full")
check("veth up and running", veth["up"] and veth["running"])
inet = [a for a in veth["addresses"] if a["family"] == "inet"]
check("veth inet /24 with broadcast", inet == [{**inet[0], "address": "10.77.0.1",
      "netmask": "255.255.255.0", "broadcast": "10.77.0.255", "ptp": None}])
v6 = {a["address"]: a["netmask"] for a in veth["addresses"] if a["family"] == "inet6"}
check("veth inet6 /64 and /127 (%r)" % v6, v6.get("fd77::1") == "ffff:ffff:ffff:ffff::" and
      v6.get("fd78::1") == "ffff:ffff:ffff:ffff:ffff:ffff:ffff:fffe")
check("a link-local inet6 too", any(a.startswith("fe80::") for a in v6))
check("veth MAC", any(a["family"] == "link" and a["broadcast"] == "ff:ff:ff:ff:ff:ff"
                      for a in veth["addresses"]))
check("vdown0 listed down", not ifs["vdown0"]["up"] and not ifs["vdown0"]["running"])
check("vdown1 listed without addresses but its MAC",
      [a["family"] for a in ifs["vdown1"]["addresses"]] == ["link"])
p = [a for a in ptp["addresses"] if a["address"] == "10.9.9.1"]
check("peer address", len(p) == 1 and p[0]["ptp"] == "10.9.9.2" and p[0]["broadcast"] is None
      and p[0]["netmask"] == "255.255.255.255")
if sys.argv[3] == "vtun0":
    check("tun is POINTOPOINT, up, no carrier", "POINTOPOINT" in ptp["flags"] and ptp["up"]
          and not ptp["running"])
PY
echo "PASS: interfaces match the kernel's view"
exit 0
