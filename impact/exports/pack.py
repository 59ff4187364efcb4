"""The figures pack: one ZIP with everything a communications officer needs.

Every chart as PNG (report size) and SVG, the tables as one XLSX and as CSV
(both flavours), the key-figure sentences in French, Dutch and English, the
sources, and a README that states the selection and the date, so a file
taken out of the pack can still be traced back.
"""

from __future__ import annotations

import io
import re
import unicodedata
import zipfile
from collections.abc import Callable

from impact import method
from impact.exports import images, tables
from impact.exports.view import View

ZIP_MIME = "application/zip"


def slug(text: str) -> str:
    """A file-name-safe version of ``text`` (« Par pays » -> « par-pays »)."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-") or "table"


def sentences_text(view: View) -> str:
    """The sentences of a view, one paragraph each, with the selection and date."""
    tr = view.tr
    lines = [
        tr._("Key figures, ready to quote"),
        tr._("Selection: {scope}", scope=view.scope),
        tr._("Exported on {date}", date=tr.date(view.day)),
        "",
    ]
    if view.headline:
        lines += [view.headline.text, ""]
    sentences = view.sentences
    if view.sentence_count > len(sentences):  # a federation's: the largest (SENTENCES_IN_FILES)
        lines += [
            tr._(
                "The {shown} largest of {total} sentences; narrow the selection to get others.",
                shown=tr.number(len(sentences)),
                total=tr.number(view.sentence_count),
            ),
            "",
        ]
    for sentence in sentences:
        lines += [sentence.text, ""]
    if not view.headline and not sentences:  # a file of headers alone said nothing of why
        lines += [tr._("No figure of persons reached in this selection."), ""]
    return "\n".join(lines)


def figures_pack(view: View, other_languages: Callable[[str], View] | None = None) -> bytes:
    """The ZIP of a view; ``other_languages(lang)`` adds the sentences in other languages."""
    tr = view.tr
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for spec in view.charts:
            for fmt in images.FORMATS:
                data = images.export(spec.figure, tr, view.caption, "report", fmt)
                archive.writestr(f"charts/{spec.key}.{fmt}", data)
        archive.writestr(
            "tables/tables.xlsx",
            tables.to_xlsx(view.tables, view.filter_rows, view.sources, tr),
        )
        for name, frame in view.tables.items():
            archive.writestr(f"tables/csv/{slug(name)}.csv", tables.to_csv(frame))
            archive.writestr(
                f"tables/csv-semicolon/{slug(name)}.csv", tables.to_csv_semicolon(frame)
            )
        archive.writestr(f"sentences-{tr.lang}.txt", sentences_text(view))
        if other_languages is not None:
            for lang in ("fr", "nl", "en"):
                if lang != tr.lang:
                    archive.writestr(f"sentences-{lang}.txt", sentences_text(other_languages(lang)))
        archive.writestr("sources.csv", tables.to_csv(tables.source_table(tr, view.sources)))
        # the counting rules travel with the figures: the « How we count » page, as text
        archive.writestr(f"how-we-count-{tr.lang}.md", method.text(tr.lang))
        readme = [
            tr._("Figures pack"),
            "",
            *(
                tr._("{label}: {value}", label=setting, value=value)
                for setting, value in view.filter_rows
            ),
            "",
            tr._("Sources"),
            *(f"- {label}" for label in view.source_labels()),
            "",
            tr._(
                "charts/: every chart as PNG (A4 width) and SVG; tables/: the tables as XLSX "
                "and CSV (csv-semicolon/: « ; » and decimal comma, for a Belgian Excel)."
            ),
            tr._(
                "how-we-count-{lang}.md: how the figures are counted (ranges, qualifiers, years).",
                lang=tr.lang,
            ),
        ]
        archive.writestr("README.txt", "\n".join(readme) + "\n")
    return buffer.getvalue()
