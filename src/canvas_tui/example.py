"""The example canvas seeded into a new data dir: a fictional SaaS, every block filled in.

Some items carry a status, tags and a note, so a newcomer sees what they are for: a canvas is
a set of hypotheses, and the evidence for each one stays with it.
"""

from __future__ import annotations

from canvas_tui.model import Canvas, Item

EXAMPLE_NAME = "example"

EXAMPLE = Canvas.from_lists(
    "Nimbus Notes — AI meeting notes (example)",
    [
        [  # 1 Key Partners
            "Cloud hosting on AWS (compute, storage)",
            "Speech-to-text and LLM API providers",
            "Stripe for payments and invoicing",
            "Zoom, Google Meet and Teams app marketplaces",
            "SOC 2 auditor and security monitoring vendor",
        ],
        [  # 2 Key Activities
            "Build the recorder, transcription and summary pipeline",
            "Keep the platform up: on-call, scaling, cost control",
            "Evaluate summary quality on a labelled meeting set",
            "Onboard teams and answer support chats",
            "Content marketing and product-led growth experiments",
        ],
        [  # 3 Key Resources
            "Summarisation prompts, models and evaluation data",
            "Integrations with calendars and video platforms",
            "Encrypted transcript store and search index",
            "Team of 6 engineers, 1 designer, 2 in sales",
            "18 months of runway after the seed round",
        ],
        [  # 4 Value Proposition
            Item(
                "Every meeting summarised with decisions and owners in 2 minutes",
                "validated",
                ("core",),
                "Pilot with 12 teams: median summary ready 94 s after the call.",
            ),
            Item(
                "Saves each manager about 3 hours a week of note-taking",
                "testing",
                ("pricing",),
                "Time diaries from 8 managers so far.\nNext: compare with calendar data.",
            ),
            "Searchable memory of what the team agreed",
            Item("Works in 30 languages, set up in one click", "assumption"),
            "Private by default: data never trains shared models",
        ],
        [  # 5 Customer Relationships
            "Self-service sign-up with a guided first meeting",
            "In-app chat support, 4-hour response on paid plans",
            "Community forum and template gallery",
            "Monthly feature drops and a public roadmap",
        ],
        [  # 6 Channels
            "nimbusnotes.example web app and landing pages",
            "Desktop and mobile apps",
            "Marketplace listings inside Zoom and Teams",
            "Newsletter and webinars on better meetings",
            "Partnerships with remote-work consultancies",
        ],
        [  # 7 Customer Segments
            Item("Managers in remote-first tech companies (B2B SMEs)", "validated", ("b2b",)),
            "Consultants and agencies billing by the meeting",
            Item(
                "Enterprises needing compliance and audit trails",
                "assumption",
                ("b2b", "enterprise"),
            ),
            "Students and researchers (free tier)",
        ],
        [  # 8 Cost Structure
            "Cloud compute for transcription (largest cost)",
            "LLM and speech API usage per meeting minute",
            "Database, storage and search hosting",
            "Salaries for engineering, design and sales",
            "Security, monitoring and SaaS tools",
            "Marketing and customer support",
        ],
        [  # 9 Revenue Streams
            Item(
                "Pro plan: $12 per user per month, billed annually",
                "testing",
                ("pricing",),
                "Landing-page test: 4.1% sign-up at $12, 2.3% at $19.",
            ),
            "Usage-based credits for extra transcription hours",
            Item(
                "Free tier converting to Pro after 10 meetings",
                "invalidated",
                ("pricing",),
                "Only 1.2% converted in the beta; trying a 14-day trial instead.",
            ),
            "Enterprise licences with SSO and data residency",
            "Add-on: CRM sync and custom summary templates",
        ],
    ],
)
