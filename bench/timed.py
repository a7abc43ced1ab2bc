"""timed: one run of a command, timed, for the side-by-side bench scripts
(bench/scan.sh, bench/labscan.sh)."""
import os
import subprocess
import sys
import time


def timed(name, argv):
    """Runs argv; returns its standard output, wall seconds and CPU seconds
    (user + system, children included). Exits the bench if it fails."""
    t = time.perf_counter()
    p = subprocess.Popen(argv, stdout=subprocess.PIPE)
    out = p.stdout.read().decode()
    _, status, ru = os.wait4(p.pid, 0)
    d = time.perf_counter() - t
    if status != 0:
        sys.exit("error: %s failed" % name)
    return out, d, ru.ru_utime + ru.ru_stime
