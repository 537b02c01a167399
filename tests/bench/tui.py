#!/usr/bin/env python3
"""Benchmark helper: drives a terminal monitor in a tmux pane and times what the screen shows.

Used by bench.sh; stdlib only. Expects a tmux server on socket path SOCKET (tmux -S) with a
session "hold" (windows 200x50, remain-on-exit on). Subcommands:

  start SOCKET [TIMEOUT] -- CMD...
                           open CMD in a new window of "hold"; wait until a full frame shows
                           (a line with the column headers PID ... Command and a process row
                           under it); print "pane=%N pid=P first_frame_ms=T", or
                           "pane=%N status=dead text=..." when CMD exited first, or
                           "pane=%N status=timeout" after TIMEOUT seconds (default 10).
  keys SOCKET PANE N       press M and P alternately N times; time each until the column
                           header line (which carries the sort indicator) changes; print
                           presses, misses, median_ms, max_ms, min_ms.
  baseline SOCKET PANE N   the same round trip on a pane running cat, whose tty echoes the
                           key at once: what tmux itself adds to every latency above.
  stop SOCKET PANE         press q, then SIGTERM, then SIGKILL, until the pane is dead.

It talks to tmux through one control-mode client (tmux -C): commands go over its pipe
instead of a new tmux process per poll, and tmux announces each write of the pane
(%output), so the screen is captured right after the monitor wrote something, not on a
timer. A time is taken when the first output that made the awaited change visible arrived.
"""
import os
import random
import re
import select
import signal
import statistics
import subprocess
import sys
import time

HEADER = re.compile(r"\bPID\b.*\bcommand\b", re.IGNORECASE)
ESCAPE = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")


class Control:
    """One tmux control-mode client attached to session "hold"."""

    def __init__(self, sock):
        self.proc = subprocess.Popen(["tmux", "-S", sock, "-C", "attach-session", "-t", "hold"],
                                     stdin=subprocess.PIPE, stdout=subprocess.PIPE, bufsize=0)
        self.buf = b""
        self.pending = 1  # the attach command answers with a block too
        self.last_output = {}  # pane id -> monotonic time of its latest %output
        self.block = None
        self.result = None
        self.exited = False
        self.command_raw(None)

    def close(self):
        try:
            self.proc.stdin.close()
        except OSError:
            pass
        try:
            self.proc.wait(timeout=2)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()

    def _line(self, line):
        if self.block is not None:
            if line.startswith(b"%end ") or line.startswith(b"%error "):
                self.result = (line.startswith(b"%end "), self.block)
                self.block = None
                self.pending -= 1
            else:
                self.block.append(line.decode("utf-8", "replace"))
            return
        if line.startswith(b"%begin "):
            self.block = []
        elif line.startswith(b"%output "):
            pane = line.split(b" ", 2)[1].decode()
            self.last_output[pane] = time.monotonic()
        elif line.startswith(b"%exit"):
            self.exited = True

    def pump(self, timeout):
        """Reads what tmux sent within timeout seconds; returns False on end of stream."""
        fd = self.proc.stdout.fileno()
        ready, _, _ = select.select([fd], [], [], timeout)
        if not ready:
            return True
        data = os.read(fd, 1 << 16)
        if not data:
            self.exited = True
            return False
        self.buf += data
        while b"\n" in self.buf:
            line, self.buf = self.buf.split(b"\n", 1)
            self._line(line)
        return True

    def command_raw(self, cmd):
        if cmd is not None:
            self.proc.stdin.write(cmd.encode() + b"\n")
            self.pending += 1
        while self.pending > 0:
            if not self.pump(5) or self.exited:
                raise RuntimeError("tmux control client ended")
        return self.result

    def command(self, cmd):
        ok, lines = self.command_raw(cmd)
        if not ok:
            raise RuntimeError("tmux %s: %s" % (cmd, " ".join(lines)))
        return lines

    def capture(self, pane, escapes=False):
        return self.command("capture-pane -p %s-t %s" % ("-e " if escapes else "", pane))

    def pane_info(self, pane):
        ok, out = self.command_raw('display-message -p -t %s "#{pane_dead} #{pane_pid}"' % pane)
        fields = out[0].split() if ok and out else []
        if len(fields) != 2:
            return True, 0
        return fields[0] == "1", int(fields[1])

    def wait_change(self, pane, since, changed, timeout):
        """Waits until changed(capture) holds; returns the arrival time of the first pane
        output after `since` that showed it, or None after timeout."""
        seen = since
        deadline = since + timeout
        while True:
            out_t = self.last_output.get(pane, 0)
            if out_t > seen:
                lines = self.capture(pane, escapes=True)
                if changed(lines):
                    return out_t
                seen = out_t
            now = time.monotonic()
            if now > deadline:
                return None
            self.pump(min(0.05, deadline - now))


def quote(s):
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"').replace("$", "\\$") + '"'


def plain(lines):
    return [ESCAPE.sub("", l) for l in lines]


def full_frame(lines):
    lines = plain(lines)
    for i, line in enumerate(lines):
        if HEADER.search(line) and i + 1 < len(lines) and lines[i + 1].strip():
            return True
    return False


def header_line(lines):
    for line in lines:
        if HEADER.search(ESCAPE.sub("", line)):
            return line
    return None


def cmd_start(ctl, argv, timeout=10.0):
    t0 = time.monotonic()
    pane = ctl.command('new-window -d -P -F "#{pane_id}" -t hold: %s' % quote(" ".join(argv)))[0]
    t = ctl.wait_change(pane, t0, full_frame, timeout)
    if t is not None:
        _, pid = ctl.pane_info(pane)
        print("pane=%s pid=%d first_frame_ms=%.0f" % (pane, pid, (t - t0) * 1000))
        return 0
    dead, _ = ctl.pane_info(pane)
    if dead:
        text = " ".join(l.strip() for l in plain(ctl.capture(pane)) if l.strip())
        print("pane=%s status=dead text=%s" % (pane, text[:300]))
    else:
        print("pane=%s status=timeout" % pane)
    return 0


def report(times, misses):
    if not times:
        print("status=no-change misses=%d" % misses)
        return
    print("presses=%d misses=%d median_ms=%.0f max_ms=%.0f min_ms=%.0f" % (
        len(times), misses, statistics.median(times), max(times), min(times)))


def cmd_keys(ctl, pane, count, timeout=3.0):
    # An untimed P first, so that the sort column is CPU whatever the default was and
    # every timed press below really changes it.
    ctl.command("send-keys -t %s P" % pane)
    time.sleep(0.5)
    times, misses = [], 0
    for i in range(count):
        key = "M" if i % 2 == 0 else "P"
        before = header_line(ctl.capture(pane, escapes=True))
        if before is None:
            print("status=no-header")
            return 0
        t0 = time.monotonic()
        ctl.command("send-keys -t %s %s" % (pane, key))
        t = ctl.wait_change(pane, t0, lambda lines: header_line(lines) not in (None, before),
                            timeout)
        if t is None:
            misses += 1
        else:
            times.append((t - t0) * 1000)
        # Land the next press at a different point of the refresh cycle.
        time.sleep(random.uniform(0.2, 0.7))
    report(times, misses)
    return 0


def cmd_baseline(ctl, pane, count):
    times, misses = [], 0
    for i in range(count):
        mark = "x%dy" % i
        t0 = time.monotonic()
        ctl.command("send-keys -t %s %s" % (pane, mark))
        t = ctl.wait_change(pane, t0, lambda lines, m=mark: any(m in l for l in lines), 2.0)
        if t is None:
            misses += 1
        else:
            times.append((t - t0) * 1000)
        ctl.command("send-keys -t %s C-u" % pane)
        time.sleep(0.05)
    report(times, misses)
    return 0


def cmd_stop(ctl, pane):
    dead, pid = ctl.pane_info(pane)
    for sig in (None, signal.SIGTERM, signal.SIGKILL):
        if dead:
            return 0
        if sig is None:
            ctl.command_raw("send-keys -t %s q" % pane)
        elif pid > 0:
            try:
                os.kill(pid, sig)
            except ProcessLookupError:
                pass
        deadline = time.monotonic() + 3
        while time.monotonic() < deadline:
            dead, _ = ctl.pane_info(pane)
            if dead:
                return 0
            time.sleep(0.05)
    return 1


def main(argv):
    if len(argv) >= 3 and argv[0] == "start" and argv[2] == "--":
        run = lambda ctl: cmd_start(ctl, argv[3:])
    elif len(argv) >= 4 and argv[0] == "start" and argv[3] == "--":
        run = lambda ctl: cmd_start(ctl, argv[4:], float(argv[2]))
    elif len(argv) == 4 and argv[0] == "keys":
        run = lambda ctl: cmd_keys(ctl, argv[2], int(argv[3]))
    elif len(argv) == 4 and argv[0] == "baseline":
        run = lambda ctl: cmd_baseline(ctl, argv[2], int(argv[3]))
    elif len(argv) == 3 and argv[0] == "stop":
        run = lambda ctl: cmd_stop(ctl, argv[2])
    else:
        sys.stderr.write(__doc__)
        return 2
    ctl = Control(argv[1])
    try:
        return run(ctl)
    finally:
        ctl.close()


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
