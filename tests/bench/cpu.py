"""CPU seconds used by process trees, read from /proc (Linux): what each part of a load test
costs, a figure that holds up better than latency on a machine shared with other work."""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from pathlib import Path

TICKS = os.sysconf("SC_CLK_TCK")


def _stat(pid: int) -> list[str]:
    # Fields after the command name (which may hold spaces): state, ppid, ..., utime at 11.
    return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()


def tree_seconds(pid: int) -> float:
    """CPU seconds of a process, its children it has reaped, and its live children."""
    try:
        fields = _stat(pid)
    except OSError:
        return 0.0
    ticks = sum(int(f) for f in fields[11:15])
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            child = _stat(int(entry.name))
        except OSError:
            continue
        if int(child[1]) == pid:
            ticks += int(child[11]) + int(child[12])
    return ticks / TICKS


Meter = Callable[[], dict[str, float]]


def meter(pids: Mapping[str, int]) -> Meter:
    """A function that returns the CPU seconds so far of each named process tree, and of this
    process under `generator`."""

    def read() -> dict[str, float]:
        seconds = {name: tree_seconds(pid) for name, pid in pids.items()}
        times = os.times()
        seconds["generator"] = times.user + times.system
        return seconds

    return read


def spent(before: Mapping[str, float], after: Mapping[str, float]) -> dict[str, float]:
    return {name: after[name] - before.get(name, 0.0) for name in after}
