"""Timing helpers and the rows of the results table."""

import os
import platform
import statistics
import sys
import time
from dataclasses import dataclass

SMOKE = os.environ.get("BENCH_SMOKE") == "1"


def log(message):
    """Progress on stderr, so that stdout holds only the table."""
    print(f"[bench] {message}", file=sys.stderr, flush=True)


def timed(function):
    """(seconds, result) of one call."""
    start = time.perf_counter()
    result = function()
    return time.perf_counter() - start, result


def seconds_of(function, *, runs, warmup=1, budget=None, min_runs=5):
    """Wall times of `runs` calls after `warmup` calls. With `budget` (seconds), the calls stop once they have taken
    that long and at least `min_runs` were made: a page of several seconds is not requested 30 times."""
    return seconds_in_turn([function], runs=runs, warmup=warmup, budget=budget, min_runs=min_runs)[0]


def seconds_in_turn(functions, *, runs, warmup=1, budget=None, min_runs=5):
    """[wall times of each function], the functions called in turn (`warmup` rounds, then up to `runs`): whatever
    the machine's speed does meanwhile, it does to each. `budget` counts the first function's calls (see
    `seconds_of`)."""
    for _ in range(warmup):
        for function in functions:
            function()
    times = [[] for _function in functions]
    while len(times[0]) < runs:
        for function, spent in zip(functions, times, strict=True):
            spent.append(timed(function)[0])
        if budget is not None and len(times[0]) >= min_runs and sum(times[0]) >= budget:
            break
    return times


def median_seconds(function, *, runs, warmup=1, budget=None):
    """Median wall time of `runs` calls after `warmup` calls (fewer past `budget` seconds: see `seconds_of`)."""
    return statistics.median(seconds_of(function, runs=runs, warmup=warmup, budget=budget))


@dataclass
class Row:
    """One measured figure against its baseline, and the target it must meet (None: reported only)."""

    name: str
    measured: float
    baseline: float | None
    unit: str  # "s", "ms", "MB", "queries", "" (a plain ratio)
    baseline_label: str = ""
    target: str = ""
    met: bool | None = None

    @property
    def ratio(self):
        if self.baseline in (None, 0):
            return None
        return self.measured / self.baseline

    def cells(self):
        ratio = self.ratio
        return [
            self.name,
            _quantity(self.measured, self.unit),
            f"{_quantity(self.baseline, self.unit)} ({self.baseline_label})" if self.baseline is not None else "—",
            f"{ratio:.2f}x" if ratio is not None else "—",
            self.target or "reported",
            {True: "yes", False: "**no**", None: "—"}[self.met],
        ]


def _quantity(value, unit):
    if unit == "s":
        return f"{value:.2f} s"
    if unit == "ms":
        return f"{value:.1f} ms" if value >= 1 else f"{value:.2f} ms"
    if unit == "MB":
        return f"{value:.0f} MB"
    if unit == "queries":
        return f"{value:.0f} queries"
    return f"{value:.2f}"


HEADER = ["Benchmark", "Measured", "Baseline", "Ratio", "Target", "Met"]


def markdown_table(rows):
    lines = ["| " + " | ".join(HEADER) + " |", "|" + "|".join(["---"] * len(HEADER)) + "|"]
    lines += ["| " + " | ".join(row.cells()) + " |" for row in rows]
    return "\n".join(lines)


def machine(database):
    """Cores, memory and software, as RESULTS.md states them; `database` names the database measured on."""
    memory = "unknown memory"
    try:
        with open("/proc/meminfo") as meminfo:
            for line in meminfo:
                if line.startswith("MemTotal:"):
                    memory = f"{int(line.split()[1]) / 1024 / 1024:.1f} GiB RAM"
                    break
    except OSError:
        pass
    import django
    import weasyprint

    return (
        f"{os.cpu_count()} cores ({platform.machine()}), {memory}; {platform.system()} {platform.release()}; "
        f"Python {platform.python_version()}, Django {django.get_version()}, WeasyPrint {weasyprint.__version__}, "
        f"{database}"
    )
