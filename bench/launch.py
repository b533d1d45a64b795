"""Run one command for bench/run.py and write its wall time, CPU time and peak memory to a JSON file.

    python bench/launch.py REPORT.json COMMAND [ARGUMENT ...]

Why a launcher: Linux gives a process the peak memory of the one it was forked from (the
high-water mark survives exec), so a command started straight from the benchmark, which holds
a whole vault's worth of data, would report the benchmark's memory. Started from this small
process it reports its own. The command inherits the standard streams; `started` is the
system-wide monotonic clock just before the command starts, so a caller can time its output.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time


def main() -> int:
    report, command = sys.argv[1], sys.argv[2:]
    started = time.monotonic()
    process = subprocess.Popen(command)
    _, status, usage = os.wait4(process.pid, 0)
    ended = time.monotonic()
    process.returncode = os.waitstatus_to_exitcode(status)
    with open(report, "w", encoding="utf-8") as handle:
        json.dump(
            {
                "started": started,
                "seconds": ended - started,
                "cpu_seconds": usage.ru_utime + usage.ru_stime,
                "max_rss_kb": usage.ru_maxrss,
                "returncode": process.returncode,
            },
            handle,
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
