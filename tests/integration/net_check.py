#!/usr/bin/env python3
"""Helper for net.sh: the kernel's own view of the interfaces, and the comparison with
vigil's JSON.

  net_check.py kernel                      (inside the namespace) print the kernel's view:
                                           `ip -j addr`, `ip -j link`, SIOCGIFFLAGS, sysfs
                                           counters, sysfs speed/duplex (ETHTOOL_GSET where
                                           sysfs will not say)
  net_check.py send HOST COUNT STOPFILE     bounded UDP traffic to HOST (a namespace address)
  net_check.py compare BEFORE AFTER VIGIL TRAFFIC_IFACE
                                           assert vigil's snapshots against the kernel's view
                                           taken before and after vigil ran
"""
import ctypes
import errno
import fcntl
import ipaddress
import json
import os
import socket
import struct
import subprocess
import sys
import time

# include/uapi/linux/if.h, bit order
IFF_NAMES = ["UP", "BROADCAST", "DEBUG", "LOOPBACK", "POINTOPOINT", "NOTRAILERS", "RUNNING",
             "NOARP", "PROMISC", "ALLMULTI", "MASTER", "SLAVE", "MULTICAST", "PORTSEL",
             "AUTOMEDIA", "DYNAMIC", "LOWER_UP", "DORMANT", "ECHO"]
SIOCGIFFLAGS = 0x8913
SIOCETHTOOL = 0x8946
ETHTOOL_GSET = 0x00000001
COUNTERS = ["rx_bytes", "tx_bytes", "rx_packets", "tx_packets", "rx_errors", "tx_errors",
            "rx_dropped", "tx_dropped"]


def ip_json(*args):
    return json.loads(subprocess.run(["ip", "-j", *args], check=True, capture_output=True,
                                     text=True).stdout)


def ioctl_flags(sock, name):
    """The 16 bits ifconfig sees (struct ifreq's short ifr_flags)."""
    ifr = struct.pack("16sh22x", name.encode(), 0)
    res = fcntl.ioctl(sock, SIOCGIFFLAGS, ifr)
    return struct.unpack("16sH22x", res)[1]


def ethtool_gset(sock, name):
    """Legacy ETHTOOL_GSET (struct ethtool_cmd, 44 bytes): (speed, duplex) or None."""
    buf = ctypes.create_string_buffer(struct.pack("<I40x", ETHTOOL_GSET), 44)
    ifr = struct.pack("16sP16x", name.encode(), ctypes.addressof(buf))
    try:
        fcntl.ioctl(sock, SIOCETHTOOL, ifr)
    except OSError as e:
        if e.errno in (errno.EOPNOTSUPP, errno.EINVAL, errno.ENODEV, errno.EBUSY):
            return None
        raise
    f = struct.unpack("<IIIHBBBBBBIIHBBIII", buf.raw)
    speed = f[3] | (f[12] << 16)
    duplex = f[4]
    return speed, duplex


def read_sys(path):
    try:
        with open(path) as fh:
            return fh.read().strip()
    except OSError as e:
        return "error:%s" % errno.errorcode.get(e.errno, e.errno)


def link_settings(sock, name):
    """Expected (speed_mbps or None, duplex) from sysfs, else from ETHTOOL_GSET."""
    speed = read_sys("/sys/class/net/%s/speed" % name)
    duplex = read_sys("/sys/class/net/%s/duplex" % name)
    if not speed.startswith("error:"):
        s = int(speed)
        return {"speed": s if 0 < s <= 0x7fffffff else None,
                "duplex": duplex if duplex in ("full", "half") else "unknown", "via": "sysfs"}
    r = ethtool_gset(sock, name)
    if r is None:
        return {"speed": None, "duplex": "unknown", "via": "gset-unsupported"}
    s, d = r
    return {"speed": s if 0 < s <= 0x7fffffff else None,
            "duplex": {0: "half", 1: "full"}.get(d, "unknown"), "via": "gset"}


def kernel_view():
    addr = ip_json("addr")
    link = {l["ifname"]: l for l in ip_json("link")}
    sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    out = []
    for a in addr:
        name = a["ifname"]
        low = ioctl_flags(sock, name)
        flags = [IFF_NAMES[b] for b in range(16) if low & (1 << b)]
        # bits 16.. do not fit ifr_flags; iproute2 names them from ifi_flags
        flags += [f for f in ("LOWER_UP", "DORMANT", "ECHO") if f in a["flags"]]
        base = "/sys/class/net/%s/" % name
        out.append({
            "name": name,
            "index": a["ifindex"],
            "sys_index": int(read_sys(base + "ifindex")),
            "ip_flags": a["flags"],
            "flags": flags,
            "mtu": a["mtu"],
            "sys_mtu": int(read_sys(base + "mtu")),
            "link": link.get(name, {}),
            "addr_info": a.get("addr_info", []),
            "settings": link_settings(sock, name),
            "counters": {c: int(read_sys(base + "statistics/" + c)) for c in COUNTERS},
        })
    return out


def send(host, count, stopfile):
    """Bounded: at most count datagrams of 1000 bytes, 5 ms apart, until stopfile exists."""
    s = socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET, socket.SOCK_DGRAM)
    payload = b"v" * 1000
    for _ in range(count):
        if os.path.exists(stopfile):
            break
        try:
            s.sendto(payload, (host, 9))
        except OSError:
            pass  # ICMP port unreachable comes back as ECONNREFUSED on the next send
        time.sleep(0.005)


class Checker:
    def __init__(self):
        self.failures = []
        self.checks = 0

    def eq(self, what, got, want):
        self.checks += 1
        if got != want:
            self.failures.append("%s: vigil %r, kernel %r" % (what, got, want))

    def true(self, what, cond):
        self.checks += 1
        if not cond:
            self.failures.append(what)


def expected_addresses(k):
    """The contract's address entries for one interface, from ip -j addr / ip -j link."""
    ptp_link = "POINTOPOINT" in k["flags"]
    exp = []
    for ai in k["addr_info"]:
        fam = ai["family"]
        if fam not in ("inet", "inet6"):
            continue
        plen = ai["prefixlen"]
        net = ipaddress.ip_network("%s/%d" % ("0.0.0.0" if fam == "inet" else "::", plen))
        peer = ai.get("address") if ai.get("address") not in (None, ai["local"]) else None
        brd = ai.get("broadcast") if peer is None and not ptp_link else None
        exp.append({"family": fam, "address": ai["local"], "netmask": str(net.netmask),
                    "broadcast": brd, "ptp": peer})
    lk = k["link"]
    if lk.get("address"):
        lb = lk.get("broadcast")
        exp.append({"family": "link", "address": lk["address"], "netmask": None,
                    "broadcast": None if ptp_link else lb, "ptp": lb if ptp_link else None})
    return exp


def addr_key(a):
    return (a["family"], a["address"], a["netmask"] or "", a["broadcast"] or "", a["ptp"] or "")


def compare(before_path, after_path, vigil_path, traffic_iface):
    with open(before_path) as fh:
        before = {k["name"]: k for k in json.load(fh)}
    with open(after_path) as fh:
        after = {k["name"]: k for k in json.load(fh)}
    with open(vigil_path) as fh:
        snaps = [json.loads(line) for line in fh if line.strip()]
    c = Checker()
    c.eq("number of snapshots", len(snaps), 2)
    if not snaps:
        return c
    # the setup is static apart from counters: before and after must agree
    for name, k in before.items():
        a = after.get(name)
        c.true("%s still there after the run" % name, a is not None)
        if a:
            c.eq("%s flags stable during the run" % name, a["flags"], k["flags"])
            c.eq("%s addresses stable during the run" % name, a["addr_info"], k["addr_info"])

    for si, snap in enumerate(snaps):
        ifs = snap.get("interfaces")
        c.true("snapshot %d has an interfaces list" % si, isinstance(ifs, list))
        if not isinstance(ifs, list):
            continue
        names = [i["name"] for i in ifs]
        c.eq("snapshot %d interface names" % si, sorted(names), sorted(before))
        idx = [i["index"] for i in ifs]
        c.eq("snapshot %d sorted by index" % si, idx, sorted(idx))
        for v in ifs:
            k = before.get(v["name"])
            if not k:
                continue
            n = "%s[%d]" % (v["name"], si)
            c.eq(n + " index", v["index"], k["index"])
            c.eq(n + " index (sysfs)", v["index"], k["sys_index"])
            c.eq(n + " flags", v["flags"], k["flags"])
            ip_view = sorted(set(k["ip_flags"]) - {"NO-CARRIER", "M-DOWN"})
            c.eq(n + " flags as ip shows them", sorted(set(v["flags"]) - {"RUNNING"}), ip_view)
            c.eq(n + " up", v["up"], "UP" in k["flags"])
            c.eq(n + " running", v["running"], "RUNNING" in k["flags"])
            c.eq(n + " mtu", v["mtu"], k["mtu"])
            c.eq(n + " mtu (sysfs)", v["mtu"], k["sys_mtu"])
            c.eq(n + " speed_mbps (%s)" % k["settings"]["via"], v["speed_mbps"],
                 k["settings"]["speed"])
            c.eq(n + " duplex (%s)" % k["settings"]["via"], v["duplex"], k["settings"]["duplex"])
            got = v["addresses"]
            for a in got:
                c.eq(n + " address keys", sorted(set(a) - {"prefixlen"}),
                     ["address", "broadcast", "family", "netmask", "ptp"])
                if "prefixlen" in a and a["family"] != "link":
                    plen = bin(int(ipaddress.ip_address(a["netmask"]))).count("1")
                    c.eq(n + " prefixlen of " + a["address"], a["prefixlen"], plen)
            c.eq(n + " addresses", sorted(map(addr_key, got)),
                 sorted(map(addr_key, expected_addresses(k))))
            order = {"inet": 0, "inet6": 1, "link": 2}
            fams = [order.get(a["family"], 9) for a in got]
            c.eq(n + " address families in contract order", fams, sorted(fams))
            for a in got:
                c.true(n + " no %%scope in %s" % a["address"], "%" not in a["address"])
            ka = after.get(v["name"])
            for cname in COUNTERS:
                lo_, hi_ = k["counters"][cname], ka["counters"][cname] if ka else None
                val = v[cname]
                c.true("%s %s %r within the sampling window [%r, %r]" % (n, cname, val, lo_, hi_),
                       isinstance(val, int) and hi_ is not None and lo_ <= val <= hi_)
            for r in ("rx_bytes_per_s", "tx_bytes_per_s"):
                c.true("%s %s %r is a finite non-negative number" % (n, r, v[r]),
                       isinstance(v[r], (int, float)) and 0 <= v[r] < 1e12)

    # rates: the link that carried traffic moved in every snapshot, lo did not
    by = [{i["name"]: i for i in s.get("interfaces", [])} for s in snaps]
    for si, m in enumerate(by):
        t = m.get(traffic_iface)
        c.true("%s present in snapshot %d" % (traffic_iface, si), t is not None)
        if t:
            c.true("%s[%d] tx_bytes_per_s %r > 0 while traffic ran" % (traffic_iface, si,
                                                                       t["tx_bytes_per_s"]),
                   t["tx_bytes_per_s"] > 0)
            c.true("%s[%d] rx_bytes_per_s %r > 0 while traffic ran" % (traffic_iface, si,
                                                                       t["rx_bytes_per_s"]),
                   t["rx_bytes_per_s"] > 0)
        lo = m.get("lo")
        if lo:
            c.eq("lo[%d] rates (no traffic in the namespace)" % si,
                 (lo["rx_bytes_per_s"], lo["tx_bytes_per_s"]), (0, 0))
    if len(by) == 2 and traffic_iface in by[0] and traffic_iface in by[1]:
        a, b = by[0][traffic_iface], by[1][traffic_iface]
        dt = snaps[1].get("interval")
        c.true("interval %r near the 0.5 s delay" % dt, isinstance(dt, (int, float)) and
               0.4 < dt < 5)
        if isinstance(dt, (int, float)) and dt > 0:
            for d in ("rx", "tx"):
                want = (b[d + "_bytes"] - a[d + "_bytes"]) / dt
                got = b[d + "_bytes_per_s"]
                c.true("%s %s rate %r matches counter delta / interval %r" %
                       (traffic_iface, d, got, want), abs(got - want) <= 0.02 * want + 1)
    return c


def main():
    if len(sys.argv) >= 2 and sys.argv[1] == "kernel":
        json.dump(kernel_view(), sys.stdout)
        return 0
    if len(sys.argv) == 5 and sys.argv[1] == "send":
        send(sys.argv[2], int(sys.argv[3]), sys.argv[4])
        return 0
    if len(sys.argv) == 6 and sys.argv[1] == "compare":
        c = compare(*sys.argv[2:6])
        for f in c.failures:
            print("FAIL:", f)
        print("%d checks, %d failures" % (c.checks, len(c.failures)))
        return 1 if c.failures or c.checks == 0 else 0
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main())
