"""The title of a Markdown canvas: the headings before its first block (a generic canvas name,
"Business Model Canvas", joined to the project's name with " — "), else mdCanvas's name
line, else the front matter's `title:`. Pure."""

from __future__ import annotations

import re

from canvas_tui.canvasfile.mdtypes import UNTITLED, Heading, Skipped
from canvas_tui.template.names import normalise

_GENERIC_WORDS = {
    "business", "model", "canvas", "lean", "tech", "bmc", "the", "a", "my", "our", "de", "du",
    "la", "le", "del", "do", "da", "geschäftsmodell", "geschäftsmodells", "modèle",
    "économique", "modelo", "negocio", "negocios", "negócio", "negócios", "canevas", "lienzo",
    "tela", "quadro", "ビジネスモデル", "キャンバス", "ビジネスモデルキャンバス",
    "リーンキャンバス", "商业模式画布", "template", "vorlage", "plantilla",
}  # fmt: skip
# Headings that introduce a document's parts, never a project's name (not a subtitle).
_SECTION_NAMES = {
    normalise(name)
    for name in (
        "Overview", "Introduction", "Intro", "Context", "Summary", "Background", "About",
        "Description", "Contents", "Table of Contents", "TL;DR", "Notes", "Übersicht",
        "Einleitung", "Zusammenfassung", "Hintergrund", "Aperçu", "Résumé", "Contexte",
        "Introducción", "Resumen", "Contexto", "Visão geral", "Introdução", "Resumo", "概要",
        "はじめに", "背景",
    )
}  # fmt: skip


def is_generic(title: str) -> bool:
    """A title that names a kind of canvas, not a project ("Business Model Canvas")."""
    words = re.findall(r"\w+", title.casefold())
    return not [word for word in words if word not in _GENERIC_WORDS]


def choose_title(
    headings: list[tuple[Heading, bool]], forced: bool, mdcanvas_name: str, front_title: str
) -> tuple[str, bool, list[Skipped]]:
    """The title, whether the text gave one, and the headings before the first block that
    were sections rather than titles (a list or table under them: `headings`' flag).
    `forced`: the first heading is the title (a `# Title` above `## Block` headings)."""
    before = [
        Skipped(
            heading.line, "#" * heading.level + " " + heading.raw, "comes before the first block"
        )
        for heading, content in headings
        if content and not (forced and heading is headings[0][0])
    ]
    parts = [heading for heading, content in headings if not content]
    if forced and headings:  # the first heading, whatever is under it
        first = headings[0][0]
        if first.raw == UNTITLED:
            return "", True, before
        parts = [first, *(heading for heading in parts if heading is not first)]
    texts: list[str] = []
    for heading in parts:
        if normalise(heading.text) in _SECTION_NAMES and heading is not parts[0]:
            continue
        if heading.text and heading.text.casefold() not in {t.casefold() for t in texts}:
            texts.append(heading.text)
    if texts:
        if is_generic(texts[0]):
            named = [text for text in texts[1:] if not is_generic(text)]
            return (f"{texts[0]} — {named[0]}" if named else texts[0]), True, before
        return texts[0], True, before
    if mdcanvas_name:
        return mdcanvas_name, True, before
    if front_title:
        return front_title, True, before
    return "", False, before
