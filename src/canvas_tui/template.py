"""The nine blocks of the Tech Business Model Canvas, as data.

Everything the rest of the program knows about the canvas (titles, TOML keys, the seed's
guidance and where each block sits on the classic canvas) comes from the one `BLOCKS` table,
so a widget never hard-codes a block. Source: `shared/seed/tech-business-model-canvas.md`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Direction = Literal["left", "right", "up", "down"]


@dataclass(frozen=True, slots=True)
class Place:
    """Where a block sits on the classic canvas: a 3-row x 10-column grid."""

    row: int
    column: int
    row_span: int
    column_span: int


@dataclass(frozen=True, slots=True)
class BlockSpec:
    number: int  # 1..9, as in the seed
    key: str  # the TOML key
    title: str
    short: str  # two-letter label for narrow strips
    question: str  # the seed's question line
    prompts: tuple[str, ...]  # the seed's bullet prompts
    place: Place
    # Spatial neighbours on the classic canvas, as block numbers (None: the canvas edge).
    left: int | None
    right: int | None
    up: int | None
    down: int | None

    @property
    def index(self) -> int:
        return self.number - 1

    @property
    def label(self) -> str:
        return f"{self.number} {self.title}"

    def neighbour(self, direction: Direction) -> int | None:
        """The number of the block next to this one in `direction`, if any."""
        number: int | None = getattr(self, direction)
        return number


GRID_ROWS = 3
GRID_COLUMNS = 10

BLOCKS: tuple[BlockSpec, ...] = (
    BlockSpec(
        1, "key_partners", "Key Partners", "KP",
        "List the external organizations critical to your operational success:",
        (
            "Cloud service providers (e.g., AWS, GCP, Azure)",
            "API or AI model providers",
            "Payment gateways",
            "Security, monitoring, and compliance services",
            "Technology integrators or solution partners",
        ),
        Place(0, 0, 2, 2), left=None, right=2, up=None, down=8,
    ),
    BlockSpec(
        2, "key_activities", "Key Activities", "KA",
        "Describe the core actions required to deliver your tech product:",
        (
            "Product development (software, AI models, automation)",
            "Platform maintenance & infrastructure management",
            "Data processing, analytics, and quality assurance",
            "User onboarding & customer support",
            "Marketing and growth activities",
        ),
        Place(0, 2, 1, 2), left=1, right=4, up=None, down=3,
    ),
    BlockSpec(
        3, "key_resources", "Key Resources", "KR",
        "Identify essential assets that power your business:",
        (
            "Core technology (codebase, AI models, IP)",
            "Cloud infrastructure & APIs",
            "Databases and data pipelines",
            "Engineering, product, and design teams",
            "Budget and financial runway",
        ),
        Place(1, 2, 1, 2), left=1, right=4, up=2, down=8,
    ),
    BlockSpec(
        4, "value_proposition", "Value Proposition", "VP",
        "Explain what unique value your tech product offers:",
        (
            "Personalized or automated digital experiences",
            "Cost-saving or efficiency improvements",
            "High reliability, accuracy, or performance",
            "Scalability and fast deployment",
            "Seamless user experience and integrations",
        ),
        Place(0, 4, 2, 2), left=2, right=5, up=None, down=8,
    ),
    BlockSpec(
        5, "customer_relationships", "Customer Relationships", "CR",
        "How you interact with and retain customers:",
        (
            "Self-service platform with guided onboarding",
            "Personalized support (chat, email, automated assistants)",
            "Community or forum-based support",
            "Regular updates, feature drops, and loyalty programs",
        ),
        Place(0, 6, 1, 2), left=4, right=7, up=None, down=6,
    ),
    BlockSpec(
        6, "channels", "Channels", "CH",
        "Where customers discover and interact with your product:",
        (
            "Company website and web app",
            "Mobile app (optional)",
            "Social media & digital marketing",
            "Email campaigns & newsletters",
            "Tech events, webinars, and partnerships",
        ),
        Place(1, 6, 1, 2), left=4, right=7, up=5, down=9,
    ),
    BlockSpec(
        7, "customer_segments", "Customer Segments", "CS",
        "Who you are building for:",
        (
            "B2C users (students, parents, hobbyists)",
            "B2B clients (teachers, schools, SMEs, enterprises)",
            "Niche or industry-specific user segments",
            "Geographic focus segments",
        ),
        Place(0, 8, 2, 2), left=5, right=None, up=None, down=9,
    ),
    BlockSpec(
        8, "cost_structure", "Cost Structure", "C$",
        "Your major technology and operational expenses:",
        (
            "Cloud hosting and compute",
            "API usage (AI models, authentication, etc.)",
            "Database and storage",
            "Engineering salaries or contractors",
            "Security, monitoring, and third-party SaaS tools",
            "Sales, marketing, and customer support costs",
        ),
        Place(2, 0, 1, 5), left=None, right=9, up=3, down=None,
    ),
    BlockSpec(
        9, "revenue_streams", "Revenue Streams", "R$",
        "How your tech business makes money:",
        (
            "Subscription tiers (monthly/annual)",
            "Usage-based or credit-based billing",
            "Freemium → paid conversion model",
            "Enterprise licensing",
            "Add-ons or premium features",
        ),
        Place(2, 5, 1, 5), left=8, right=None, up=6, down=None,
    ),
)  # fmt: skip

BLOCK_COUNT = len(BLOCKS)
BLOCK_KEYS: tuple[str, ...] = tuple(block.key for block in BLOCKS)
BLOCK_BY_KEY: dict[str, BlockSpec] = {block.key: block for block in BLOCKS}


def block(number: int) -> BlockSpec:
    """The block with the given number (1..9)."""
    return BLOCKS[number - 1]
