"""A chart's numbers as an accessible HTML table: for screen readers, keyboards and phones.

Streamlit's grid draws on a canvas (its text is not in the page) and its HTML
table runs off a phone's screen. This table is plain HTML with a caption and
column headers (``scope="col"``); in a narrow box (a phone, a column) each row becomes a block
of « header: value » lines (``CSS``), and explicit ARIA roles keep it a table
for screen readers whatever its display. Numbers are in the reader's format,
« – » where there is no figure (never 0); years are not formatted as numbers.
Shared by the pages (``impact.ui.layout``) and the embeds (``impact.embed``).
"""

from __future__ import annotations

import html
import re

import pandas as pd

from impact.amounts import year_columns
from impact.i18n import Translator

CLASS = "impact-data"
# Below this width of its box (a phone, a half-page column) the table's rows stack as
# blocks: no sideways scrolling, no words broken letter by letter.
NARROW = 560
# Wider, the Map's eight columns in Dutch (« Nauwkeurigheid », « Hoofdstedelijk »: words
# that set a column's least width) ran 37 px past their box at 1280 px: the text is 13 px
# and the cells' sides 0.3 rem, which fits them. A table whose words still do not fit
# scrolls sideways in its own box instead of running past the page's edge; the box takes
# the keyboard's focus so that it can be scrolled without a mouse (a region named by the
# table's caption).
CSS = f"""
div.{CLASS} {{container-type: inline-size; overflow-x: auto;}}
div.{CLASS}:focus-visible {{outline: 2px solid #0072B2; outline-offset: 2px;}}
table.{CLASS} {{border-collapse: collapse; font-size: 0.8125rem; width: 100%; margin: 0.25rem 0;}}
table.{CLASS} caption {{text-align: left; font-weight: 600; padding: 0.25rem 0;}}
table.{CLASS} th, table.{CLASS} td {{border: 1px solid #cbd2d9; padding: 0.15rem 0.3rem;
  text-align: left; vertical-align: top; overflow-wrap: break-word;}}
table.{CLASS} td.num {{text-align: right; white-space: nowrap;}}
table.{CLASS} code {{font-size: 0.92em; padding: 0 0.15em; border-radius: 3px;
  background: #f0f2f6; color: inherit;}}
@container (max-width: {NARROW}px) {{
  table.{CLASS} thead {{position: absolute; width: 1px; height: 1px; overflow: hidden;
    clip: rect(0 0 0 0);}}
  table.{CLASS}, table.{CLASS} caption, table.{CLASS} tbody, table.{CLASS} tr,
  table.{CLASS} td {{display: block;}}
  table.{CLASS} tr {{border: 1px solid #cbd2d9; margin-bottom: 0.4rem;}}
  table.{CLASS} td {{border: 0; text-align: left !important; white-space: normal !important;}}
  table.{CLASS} td::before {{content: attr(data-label) ": "; font-weight: 600;}}
  :lang(fr) table.{CLASS} td::before {{content: attr(data-label) "\\00a0: ";}}
}}
"""


# A span between backticks in a text (the contract's « `year_basis` says … »): a
# column's or a value's name, set as code rather than shown with its backticks.
_CODE_SPAN = re.compile(r"`([^`]+)`")


def _cell(tr: Translator, value: object, year: bool) -> tuple[str, bool]:
    """The text of a cell, and whether it is a number (aligned right on wide screens)."""
    if value is None or value is pd.NA or (isinstance(value, float) and value != value):
        return "–", False
    if isinstance(value, bool) or not pd.api.types.is_number(value):  # numpy's too
        return str(value), False
    if year:
        return str(int(value)), False  # type: ignore[arg-type]
    return tr.number(float(value)), True  # type: ignore[arg-type]


def html_table(
    tr: Translator,
    data: pd.DataFrame,
    caption: str,
    max_rows: int | None = None,
    code_spans: bool = False,
) -> str:
    """``data`` as an HTML table with ``caption``; at most ``max_rows`` rows.

    ``code_spans``: a text's spans between backticks are set as ``<code>`` (the data
    dictionary, whose texts name columns and values); elsewhere a backtick is a backtick.
    """
    years = year_columns(tr)
    columns = [str(c) for c in data.columns]
    head = "".join(f'<th scope="col" role="columnheader">{html.escape(c)}</th>' for c in columns)
    rows = []
    shown = data if max_rows is None else data.head(max_rows)
    for record in shown.itertuples(index=False):
        cells = []
        for column, value in zip(columns, record, strict=True):
            text, number = _cell(tr, value, column in years)
            kind = ' class="num"' if number else ""
            label = html.escape(column, quote=True)
            shown_text = html.escape(text)
            if code_spans:
                shown_text = _CODE_SPAN.sub(r"<code>\1</code>", shown_text)
            cells.append(f'<td role="cell" data-label="{label}"{kind}>{shown_text}</td>')
        rows.append(f'<tr role="row">{"".join(cells)}</tr>')
    return (
        f'<div class="{CLASS}" role="region" tabindex="0" aria-label="{html.escape(caption)}">'
        f'<table class="{CLASS}" role="table">'
        f"<caption>{html.escape(caption)}</caption>"
        f'<thead role="rowgroup"><tr role="row">{head}</tr></thead>'
        f'<tbody role="rowgroup">{"".join(rows)}</tbody></table></div>'
    )
