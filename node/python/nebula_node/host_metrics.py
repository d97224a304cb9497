"""CPU and memory usage of the machine, read from /proc the way `nebula-node run`
does (docs/node.md): a value that cannot be read is None, never a made-up 0."""
from pathlib import Path


class CpuUsage:
    """Busy share of all CPUs, in %, since the previous call (iowait counts as idle).
    The counters are primed on construction, so the first call already has a rate."""

    def __init__(self, proc_root="/proc"):
        self._stat = Path(proc_root) / "stat"
        self._last = self._read()

    def sample(self):
        now = self._read()
        if now is None or self._last is None:
            self._last = now
            return None
        busy = now[0] - self._last[0]
        total = now[1] - self._last[1]
        self._last = now
        return 100.0 * busy / total if total > 0 else 0.0

    def _read(self):
        """(busy ticks, total ticks) from the aggregate `cpu` line."""
        try:
            with open(self._stat) as f:
                fields = [int(v) for v in f.readline().split()[1:]]
        except (OSError, ValueError):
            return None
        idle = fields[3] + (fields[4] if len(fields) > 4 else 0)  # idle + iowait
        # guest time is already inside user/nice: count only the first 8 fields
        total = sum(fields[:8])
        return total - idle, total


def memory_usage(proc_root="/proc"):
    """100 * (MemTotal - MemAvailable) / MemTotal, or None when unreadable."""
    values = {}
    try:
        with open(Path(proc_root) / "meminfo") as f:
            for line in f:
                key, _, rest = line.partition(":")
                if key in ("MemTotal", "MemAvailable"):
                    values[key] = float(rest.split()[0])
    except (OSError, ValueError, IndexError):
        return None
    total, available = values.get("MemTotal"), values.get("MemAvailable")
    if not total or available is None:
        return None
    return 100.0 * (total - available) / total
