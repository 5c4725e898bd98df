"""The canvases the benchmark runs on, generated into temporary data dirs.

Item texts are made deterministically (a fixed seed) from business-like phrases, mostly 20-60
characters, with about one in twelve much longer so that it wraps in the editor's columns.
The first item of the last block is unique on the canvas: start-up is timed until it is on
screen. "Rich" canvases give every item a status, two tags and a two-line note.
"""

from __future__ import annotations

import random
import shutil
from dataclasses import dataclass
from pathlib import Path

from canvas_tui.model import STATUSES, Canvas, Item
from canvas_tui.store import new_canvas, save
from canvas_tui.template import Template, built_in_templates, default_template

SMALL_PER_BLOCK = 5
BIG_PER_BLOCK = 1000
SEED = 20240917
LAST_BLOCK_FIRST_ITEM = "Per-seat subscriptions"  # appears nowhere else on a canvas

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
_TAGS = ("pricing", "b2b", "b2c", "growth", "risk", "q3", "churn", "partners", "ops", "eu")
_NOTES = (
    "Heard in 12 customer interviews.\nFollow up with the pilot accounts in March.",
    "Assumed from last year's numbers.\nCheck against the new pricing page's conversion.",
    "Competitors charge 20-30% more.\nSee the pricing review in the team drive.",
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


def make_item(rng: random.Random, rich: bool) -> Item:
    if not rich:
        return Item(item_text(rng))
    tags = tuple(sorted(rng.sample(_TAGS, 2)))
    return Item(item_text(rng), rng.choice(STATUSES), tags, rng.choice(_NOTES))


def make_canvas(
    title: str, template: Template, per_block: int, *, rich: bool = False, seed: int = SEED
) -> Canvas:
    rng = random.Random(f"{seed}-{per_block}-{template.id}-{rich}")
    blocks = [[make_item(rng, rich) for _ in range(per_block)] for _ in template.blocks]
    first = blocks[-1][0]
    blocks[-1][0] = Item(LAST_BLOCK_FIRST_ITEM, first.status, first.tags, first.note)
    return Canvas.from_lists(title, blocks, template=template.id)


@dataclass(frozen=True, slots=True)
class Workload:
    """One canvas in a data dir that holds only that canvas."""

    label: str  # how the result rows name it
    data_dir: Path
    name: str
    canvas: Canvas
    template: Template

    @property
    def path(self) -> Path:
        return self.data_dir / "canvases" / f"{self.name}.toml"

    @property
    def first_item_of_last_block(self) -> str:
        return self.canvas.blocks[-1][0].text

    @property
    def last_block_label(self) -> str:
        """The last block's title as the editor's block border shows it: "9 Revenue Streams"."""
        return self.template.blocks[-1].label

    def copy_to(self, data_dir: Path) -> Workload:
        """The same canvas in a fresh data dir (for runs that change it)."""
        shutil.copytree(self.data_dir, data_dir)
        return Workload(self.label, data_dir, self.name, self.canvas, self.template)


def write_workload(
    root: Path, name: str, per_block: int, *, template: Template | None = None, rich: bool = False
) -> Workload:
    """Write the canvas through canvas-tui's own `save`, into `<root>/<name>/canvases/`."""
    template = template or default_template()
    data_dir = root / name
    (data_dir / "canvases").mkdir(parents=True, mode=0o700)
    canvas = make_canvas(f"Benchmark {name}", template, per_block, rich=rich)
    count = f"{canvas.item_count:,}"
    label = count if template.id == default_template().id else f"{count} {template.id}"
    if rich:
        label += " rich"
    workload = Workload(label, data_dir, name, canvas, template)
    save(new_canvas(workload.path, canvas.title, template), canvas)
    return workload


@dataclass(frozen=True, slots=True)
class Workloads:
    small: Workload  # 45 items, tech-bmc
    big: Workload  # 9,000 items, tech-bmc
    lean: Workload  # 9,000 items, lean
    rich: Workload  # 9,000 items, tech-bmc, each with a status, two tags and a note
    small_lean: Workload  # 45 items of each kind: what an edit on 9,000 is compared with
    small_rich: Workload

    @property
    def big_ones(self) -> tuple[Workload, ...]:
        return (self.big, self.lean, self.rich)

    @property
    def all(self) -> tuple[Workload, ...]:
        """The canvases whose start-up is measured."""
        return (self.small, *self.big_ones)

    def small_of(self, big: Workload) -> Workload:
        """The 45-item canvas of the same template and kind of items as `big`."""
        return {self.lean.name: self.small_lean, self.rich.name: self.small_rich}.get(
            big.name, self.small
        )


def write_workloads(root: Path) -> Workloads:
    """The benchmark's canvases, each alone in its own data dir under `root`."""
    lean = built_in_templates().get("lean")
    if lean is None:
        raise LookupError("the shipped template 'lean' is missing")
    return Workloads(
        small=write_workload(root, "small", SMALL_PER_BLOCK),
        big=write_workload(root, "big", BIG_PER_BLOCK),
        lean=write_workload(root, "lean", BIG_PER_BLOCK, template=lean),
        rich=write_workload(root, "rich", BIG_PER_BLOCK, rich=True),
        small_lean=write_workload(root, "small-lean", SMALL_PER_BLOCK, template=lean),
        small_rich=write_workload(root, "small-rich", SMALL_PER_BLOCK, rich=True),
    )


def write_example(root: Path, command: list[str]) -> Workload:
    """The example canvas (44 items) that a first start puts in a new data dir, made by
    `command` (canvas-tui's own, so it is the example people see)."""
    import subprocess

    from canvas_tui.store import load

    data_dir = root / "example"
    subprocess.run([*command, "--data-dir", str(data_dir), "list"], capture_output=True, check=True)
    loaded = load(data_dir / "canvases" / "example.toml")
    label = f"{loaded.canvas.item_count} (example)"
    return Workload(label, data_dir, "example", loaded.canvas, loaded.template)
