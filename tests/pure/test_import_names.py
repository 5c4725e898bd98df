"""Block names as people write them: normalisation, aliases as template data, the template
recognised from the names, and the nearest name for a typo."""

from __future__ import annotations

import pytest

from canvas_tui.template import TemplateError, built_in_templates, parse_template
from canvas_tui.template.names import match_block, nearest, normalise, recognise

TEMPLATES = built_in_templates()
TECH = TEMPLATES.default
LEAN = TEMPLATES.get("lean")
assert LEAN is not None


@pytest.mark.parametrize(
    ("written", "key"),
    [
        ("Value Propositions", "value_proposition"),
        ("Key Partnerships", "key_partners"),
        ("Customer Relationship", "customer_relationships"),
        ("Customer Segment", "customer_segments"),
        ("Revenue Stream", "revenue_streams"),
        ("Cost Structures", "cost_structure"),
        ("Key Activity", "key_activities"),
        ("Key Resource", "key_resources"),
        ("Channel", "channels"),
        ("1. 👥 CUSTOMER SEGMENTS", "customer_segments"),
        ("1) Channels", "channels"),
        ("Step 3: Key Resources", "key_resources"),
        ("🤝 Key Partners:", "key_partners"),
        ("Key Partners (KP)", "key_partners"),
        ("(KP) Key Partners", "key_partners"),
        ("Kundensegmente (Customer Segments)", "customer_segments"),
        ("key-partners", "key_partners"),
        ("keyPartners", "key_partners"),
        ("KEY_PARTNERS", "key_partners"),
        ("Schlüsselpartner", "key_partners"),
        ("Partenaires clés", "key_partners"),
        ("Socios clave", "key_partners"),
        ("Parcerias principais", "key_partners"),
        ("キーパートナー", "key_partners"),
        ("Proposition de valeur", "value_proposition"),
        ("Propuesta de valor", "value_proposition"),
        ("Proposta de valor", "value_proposition"),
        ("価値提案", "value_proposition"),
        ("Einnahmequellen", "revenue_streams"),
        ("Flux de revenus", "revenue_streams"),
        ("Fuentes de ingresos", "revenue_streams"),
        ("Fontes de receita", "revenue_streams"),
        ("収益の流れ", "revenue_streams"),
        ("C$", "cost_structure"),
        ("4", "value_proposition"),
    ],
)
def test_business_model_blocks_by_the_names_people_use(written: str, key: str) -> None:
    found = match_block(written, TECH)
    assert found is not None and found.key == key, written


@pytest.mark.parametrize(
    ("written", "key"),
    [
        ("Problems", "problem"),
        ("課題（Problem）", "problem"),
        ("Problem（課題）", "problem"),
        ("Existing Alternatives", "problem"),
        ("Customer-segment", "customer_segments"),
        ("Early Adopters", "customer_segments"),
        ("Unique-Value-Proposition", "unique_value_proposition"),
        ("UVP", "unique_value_proposition"),
        ("High-Level Concept", "unique_value_proposition"),
        ("Unfair-advantage", "unfair_advantage"),
        ("Ventaja injusta", "unfair_advantage"),
        ("圧倒的な優位性", "unfair_advantage"),
        ("Key-Metrics", "key_metrics"),
        ("Schlüsselkennzahlen", "key_metrics"),
        ("Revenue-Stream", "revenue_streams"),
        ("ソリューション", "solution"),
        ("Solução", "solution"),
    ],
)
def test_lean_blocks_by_the_names_people_use(written: str, key: str) -> None:
    found = match_block(written, LEAN)
    assert found is not None and found.key == key, written


@pytest.mark.parametrize("written", ["Partners", "Problem", "3D Partners", "Key", "", "0", "¹"])
def test_names_that_name_no_business_model_block(written: str) -> None:
    assert match_block(written, TECH) is None


def test_normalise() -> None:
    assert normalise("## 1. 👥 **Customer-Segments**:") == "customersegments"
    assert normalise("Step 2 – Key_Partners") == "keypartners"
    assert normalise("2024 Goals") == "2024goals"  # a year is not numbering


def test_every_shipped_block_has_aliases_in_five_languages() -> None:
    for template in (TECH, LEAN):
        for block in template.blocks:
            assert len(block.aliases) >= 5, (template.id, block.key)


def test_the_template_is_recognised_from_the_names() -> None:
    lean_names = ["Problem", "Solution", "Key Metrics", "Channels", "Customer Segments"]
    assert recognise(lean_names, TEMPLATES) == (LEAN, 5)
    assert recognise(["Value Propositions", "Channels"], TEMPLATES) == (TECH, 2)
    assert recognise(["Channels", "Customer Segments"], TEMPLATES)[0] is TECH  # a tie
    assert recognise(["Risks"], TEMPLATES) == (TECH, 0)


def test_the_nearest_name_for_a_typo() -> None:
    found = nearest("Value Propozitions", TECH)
    assert found is not None and found[0] == "Value Proposition"
    assert nearest("Sprint retro", TECH) is None


BASE = """
id = "mini"
title = "Mini"
grid = { rows = 1, columns = 2 }

[[blocks]]
key = "wins"
title = "Wins"
place = { row = 0, column = 0 }
%s

[[blocks]]
key = "risks"
title = "Risks"
place = { row = 0, column = 1 }
"""


def test_aliases_are_template_data() -> None:
    template = parse_template(BASE % 'aliases = ["Successes", "Erfolge"]')
    assert template.blocks[0].aliases == ("Successes", "Erfolge")
    found = match_block("Erfolge:", template)
    assert found is not None and found.key == "wins"


@pytest.mark.parametrize(
    ("aliases", "says"),
    [
        ('aliases = "Successes"', "'aliases' must be an array of non-empty strings"),
        ('aliases = ["", "x"]', "'aliases' must be an array of non-empty strings"),
        ("aliases = [1]", "'aliases' must be an array of non-empty strings"),
        ('aliases = ["RISKS"]', "alias 'RISKS' names block 2"),
    ],
)
def test_bad_aliases_are_refused(aliases: str, says: str) -> None:
    with pytest.raises(TemplateError, match=says):
        parse_template(BASE % aliases)
