"""The README and docs stay true to the program: every action id is documented, the quick
start is two command lines, and nothing cites a file outside the repository."""

from __future__ import annotations

import re
from pathlib import Path

from canvas_tui.actions import BROWSER_ACTIONS, EDITOR_ACTIONS

ROOT = Path(__file__).resolve().parents[2]
README = (ROOT / "README.md").read_text(encoding="utf-8")
KEYS_PAGE = (ROOT / "docs" / "keys.md").read_text(encoding="utf-8")


def section(text: str, heading: str) -> str:
    start = text.index(f"\n## {heading}\n")
    end = text.find("\n## ", start + 1)
    return text[start : end if end > 0 else None]


def test_every_action_id_is_in_the_configuration_section() -> None:
    configuration = section(KEYS_PAGE, "Configuration")
    missing = [
        action.id
        for action in (*EDITOR_ACTIONS, *BROWSER_ACTIONS)
        if f"`{action.id}`" not in configuration and not action.id.startswith("jump_")
    ]
    assert missing == []
    assert "`jump_1` … `jump_9`" in configuration


def test_the_quick_start_is_two_command_lines() -> None:
    block = section(README, "Quick start").split("```")[1]
    lines = [line for line in block.splitlines() if line.strip()]
    assert len(lines) == 2
    assert "pip install ." in lines[0] and "canvas-tui" in lines[0]
    assert "'.[test]'" in lines[1] and "pytest" in lines[1]


def test_nothing_cites_files_outside_the_repository() -> None:
    outside = re.compile(r"DESIGN\.md|\.\./shared|shared/seed")
    cited = [
        str(path.relative_to(ROOT))
        for pattern in (
            "*.md",
            "docs/**/*.md",
            "src/**/*.py",
            "tests/**/*.py",
            "bench/*.py",
            "scripts/*.py",
        )
        for path in ROOT.glob(pattern)
        if path.name != "test_docs.py" and outside.search(path.read_text(encoding="utf-8"))
    ]
    assert cited == []


def prose(markdown: str) -> str:
    """`markdown` without its code (fenced blocks and `spans`), where links are examples."""
    return re.sub(r"`[^`\n]*`", "", re.sub(r"^```.*?^```", "", markdown, flags=re.S | re.M))


def test_the_readme_and_docs_link_only_files_that_exist() -> None:
    pages = [ROOT / "README.md", ROOT / "CONTRIBUTING.md", *sorted((ROOT / "docs").glob("*.md"))]
    broken = [
        f"{page.relative_to(ROOT)} -> {link}"
        for page in pages
        for link in re.findall(
            r"\]\(([^)#:]+)(?:#[^)]*)?\)", prose(page.read_text(encoding="utf-8"))
        )
        if not (page.parent / link).exists()
    ]
    assert broken == []


def test_every_docs_page_is_reachable_from_the_readme() -> None:
    linked = set(re.findall(r"\]\(docs/([^)#]+\.md)", README))
    pages = {page.name for page in (ROOT / "docs").glob("*.md")}
    assert pages - linked == set()
