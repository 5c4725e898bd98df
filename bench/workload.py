"""The canvases the benchmark runs on, generated into temporary data dirs.

Item texts are made deterministically (a fixed seed) from business-like phrases, mostly 20-60
characters, with about one in twelve much longer so that it wraps in the editor's columns.
"""

from __future__ import annotations

import random
import shutil
from dataclasses import dataclass
from pathlib import Path

from canvas_tui.model import Canvas
from canvas_tui.store import Loaded, save
from canvas_tui.template import BLOCKS

SMALL_PER_BLOCK = 5
BIG_PER_BLOCK = 1000
SEED = 20240917

_ADJECTIVES = (
    "self-serve", "enterprise", "usage-based", "managed", "open-source", "regional",
    "premium", "automated", "secure", "low-latency", "white-label", "embedded",
    "AI-assisted", "annual", "tiered", "real-time", "compliant", "multi-tenant",
)  # fmt: skip
_NOUNS = (
    "API access", "analytics dashboard", "onboarding flow", "support plan", "data pipeline",
    "cloud hosting", "payment gateway", "partner program", "mobile app", "SDK",
    "integration", "marketplace listing", "audit log", "model fine-tuning", "webinar series",
    "developer docs", "reseller channel", "status page", "usage report", "license",
)  # fmt: skip
_AUDIENCES = (
    "small agencies", "mid-market retailers", "hospital IT teams", "indie developers",
    "logistics firms", "fintech startups", "universities", "public sector buyers",
    "e-commerce brands", "field-service crews", "data teams", "solo founders",
)  # fmt: skip
_TAILS = (
    "with a 30-day free trial and a migration assistant that imports existing records",
    "priced per seat, billed monthly, with volume discounts negotiated by the sales team",
    "delivered through our EU data centre so that customers keep their data in-region",
    "backed by a 99.9% uptime SLA, round-the-clock on-call and quarterly business reviews",
    "bundled with training sessions and a named customer-success manager for the first year",
)  # fmt: skip


def item_text(rng: random.Random) -> str:
    """One plausible canvas item: usually 20-60 characters, sometimes a long one that wraps."""
    adjective, noun = rng.choice(_ADJECTIVES), rng.choice(_NOUNS)
    audience = rng.choice(_AUDIENCES)
    text = f"{adjective.capitalize()} {noun} for {audience}"
    if rng.random() < 1 / 12:
        return f"{text}, {rng.choice(_TAILS)}"
    if len(text) > 60:
        text = f"{adjective.capitalize()} {noun}"
    while len(text) < 20:
        text = f"{text} ({rng.choice(_AUDIENCES)})"
    return text


def make_canvas(title: str, per_block: int, seed: int = SEED) -> Canvas:
    rng = random.Random(f"{seed}-{per_block}")
    return Canvas.from_lists(title, [[item_text(rng) for _ in range(per_block)] for _ in BLOCKS])


@dataclass(frozen=True, slots=True)
class Workload:
    """One canvas in a data dir that holds only that canvas."""

    label: str
    data_dir: Path
    name: str
    canvas: Canvas

    @property
    def path(self) -> Path:
        return self.data_dir / "canvases" / f"{self.name}.toml"

    @property
    def first_revenue_item(self) -> str:
        return self.canvas.blocks[-1][0]

    def copy_to(self, data_dir: Path) -> Workload:
        """The same canvas in a fresh data dir (for runs that change it)."""
        shutil.copytree(self.data_dir, data_dir)
        return Workload(self.label, data_dir, self.name, self.canvas)


def write_workload(root: Path, label: str, name: str, per_block: int) -> Workload:
    """Write the canvas through canvas-tui's own `save`, into `<root>/<label>/canvases/`."""
    data_dir = root / label
    (data_dir / "canvases").mkdir(parents=True, mode=0o700)
    canvas = make_canvas(f"Benchmark {name}", per_block)
    workload = Workload(label, data_dir, name, canvas)
    save(Loaded(workload.path, Canvas(canvas.title), None, None), canvas)
    return workload


def write_workloads(root: Path) -> tuple[Workload, Workload]:
    """The 45-item and the 9,000-item canvas, each alone in its own data dir."""
    small = write_workload(root, "small", "small", SMALL_PER_BLOCK)
    big = write_workload(root, "big", "big", BIG_PER_BLOCK)
    return small, big
