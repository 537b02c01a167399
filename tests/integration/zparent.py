# A parent named $PNAME that keeps one unreaped child named $ZNAME (a zombie), for the
# tmux tests; writes "PARENT ZOMBIE" pids to the file named by argv[1] (atomically) and
# reaps the child and exits on SIGTERM. Used by ui_tmux.sh and actions_tmux.sh.
import ctypes, os, signal, sys, time
libc = ctypes.CDLL(None)
libc.prctl(15, os.environ["PNAME"].encode(), 0, 0, 0)  # PR_SET_NAME
child = os.fork()
if child == 0:
    libc.prctl(15, os.environ["ZNAME"].encode(), 0, 0, 0)
    os._exit(0)
def reap(*_):
    os.waitpid(child, 0)
    sys.exit(0)
signal.signal(signal.SIGTERM, reap)
with open(sys.argv[1] + ".tmp", "w") as f:
    f.write("%d %d\n" % (os.getpid(), child))
os.rename(sys.argv[1] + ".tmp", sys.argv[1])
while True:
    time.sleep(1)
