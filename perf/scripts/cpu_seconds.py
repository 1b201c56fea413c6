"""Runs a peer script with time.perf_counter replaced by time.process_time, so the seconds it prints are the process's CPU
seconds (all its threads) instead of wall-clock seconds: on a shared, loaded machine the time other processes take from a
one-thread run then does not count, as RbmSimd's conv-epoch reports in cpu_seconds.

    /usr/bin/python3 cpu_seconds.py PEER.py [ARGS...]
"""
import os, runpy, sys, time

time.perf_counter = time.process_time
sys.argv = sys.argv[1:]
# As `python3 PEER.py` would: the peer's own folder first on the path, so its imports (common.py) resolve.
sys.path[0] = os.path.dirname(os.path.abspath(sys.argv[0]))
runpy.run_path(sys.argv[0], run_name="__main__")
