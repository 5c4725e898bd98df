"""The result rows of a benchmark run and the aligned table they print as."""

from __future__ import annotations

import statistics
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass
from typing import Any, Literal

Unit = Literal["s", "KiB"]


class BenchError(Exception):
    """A measurement that could not be made; the message says why."""


def median(values: Sequence[float]) -> float:
    return statistics.median(values)


def middle_mean(values: Sequence[float]) -> float:
    """The mean of the middle half of `values` (the interquartile mean).

    For key-to-screen times, which fall in two groups a few milliseconds apart (whether the
    thread that writes to the terminal had to wait for the interpreter's lock): the median
    jumps from one group to the other as their shares shift a little, this moves smoothly,
    and a rare long pause (a garbage collection) does not count.
    """
    ordered = sorted(values)
    cut = len(ordered) // 4
    middle = ordered[cut : len(ordered) - cut] or ordered
    return statistics.fmean(middle)


@dataclass(frozen=True, slots=True)
class Row:
    """One measurement: canvas-tui's median against its reference (usually the bare app)."""

    name: str
    value: float
    reference: float | None = None  # None: reported without a comparison
    budget: float | None = None  # the largest allowed value / reference; None: no budget
    unit: Unit = "s"
    samples: tuple[float, ...] = ()
    reference_samples: tuple[float, ...] = ()

    @property
    def ratio(self) -> float | None:
        if self.reference is None or self.reference <= 0:
            return None
        return self.value / self.reference

    @property
    def verdict(self) -> str:
        ratio = self.ratio
        if self.budget is None or ratio is None:
            return "info"
        return "ok" if ratio <= self.budget else "OVER"

    def as_json(self) -> dict[str, Any]:
        data = asdict(self)
        data["samples"] = list(self.samples)
        data["reference_samples"] = list(self.reference_samples)
        data["ratio"] = self.ratio
        data["verdict"] = self.verdict
        return data


def _amount(value: float | None, unit: Unit) -> str:
    if value is None:
        return "-"
    if unit == "KiB":
        return f"{value / 1024:.1f} MiB"
    if value < 1:
        return f"{value * 1000:.1f} ms"
    return f"{value:.3f} s"


def table(rows: Iterable[Row]) -> str:
    header = ("measurement", "canvas-tui", "bare", "ratio", "budget", "ok/OVER")
    lines = [header]
    for row in rows:
        ratio = row.ratio
        lines.append(
            (
                row.name,
                _amount(row.value, row.unit),
                _amount(row.reference, row.unit),
                "-" if ratio is None else f"{ratio:.2f} x",
                "-" if row.budget is None else f"<= {row.budget:g} x",
                row.verdict,
            )
        )
    widths = [max(len(line[column]) for line in lines) for column in range(len(header))]
    rule = "-+-".join("-" * width for width in widths)
    out = []
    for number, line in enumerate(lines):
        cells = [
            cell.ljust(width) if column == 0 else cell.rjust(width)
            for column, (cell, width) in enumerate(zip(line, widths, strict=True))
        ]
        out.append(" | ".join(cells).rstrip())
        if number == 0:
            out.append(rule)
    return "\n".join(out)
