"""« How we count »: the one wording of the counting rules, for the page and the PDF report.

The text lives in Markdown files, one per language (``locales/<lang>/method.md``),
so a translator edits prose, not Python. The page shows it as it is; the PDF
report reproduces it section by section (``sections``). ``{threshold}`` is the
configured privacy threshold (impact/privacy.py).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from impact import privacy
from impact.i18n import normalise_lang
from impact.paths import LOCALES_DIR

URL_PATH = "method"  # the page's address: /method
NBSP = "\u00a0"


def french_typography(text: str) -> str:
    """No-break spaces before « : ; ! ? » and inside « », as French typography wants."""
    text = re.sub(r" ([:;!?»])", NBSP + r"\1", text)
    return re.sub(r"« ", "«" + NBSP, text)


@cache
def _raw(lang: str) -> str:
    return (LOCALES_DIR / lang / "method.md").read_text(encoding="utf-8")


def text(lang: str) -> str:
    """The page in ``lang`` (Markdown), with the privacy threshold filled in."""
    code = normalise_lang(lang)
    body = _raw(code).replace("{threshold}", str(privacy.threshold()))
    return french_typography(body) if code == "fr" else body


@dataclass(frozen=True)
class Section:
    """A « ## » section: its heading and its blocks (paragraphs and list items)."""

    heading: str
    blocks: tuple[tuple[str, str], ...]  # ("p" | "li", text with **bold**)


def title(lang: str) -> str:
    """The page's title (its « # » line)."""
    first = text(lang).splitlines()[0]
    return first.lstrip("# ").strip()


def sections(lang: str) -> list[Section]:
    """The page cut into sections, paragraphs and list items, for the PDF report."""
    found: list[Section] = []
    heading = ""
    blocks: list[tuple[str, str]] = []
    current: list[str] = []
    kind = "p"

    def flush() -> None:
        nonlocal current
        if current:
            joined = " ".join(line.strip() for line in current)
            blocks.append((kind, joined.replace("`", "")))
        current = []

    for line in text(lang).splitlines()[1:]:
        if line.startswith("## "):
            flush()
            if heading or blocks:
                found.append(Section(heading, tuple(blocks)))
            heading, blocks = line[3:].strip(), []
        elif line.startswith("- "):
            flush()
            kind = "li"
            current = [line[2:]]
        elif not line.strip():
            flush()
            kind = "p"
        else:
            current.append(line)
    flush()
    found.append(Section(heading, tuple(blocks)))
    return found
