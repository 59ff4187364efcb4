"""The fundraiser's report: an A4 PDF (fpdf2) and a 16:9 slide deck (python-pptx).

Both read a ``View`` and a ``Template`` (``templates/report.toml``: name, logo,
colours, fonts), so a person changes the look by editing a text file. The PDF
has a cover, the key figures and their sentences, one chart per half page,
the tables, the method notes (how figures are counted, what is never added
up) and the sources; the deck has a title slide, the key figures, one slide
per chart and the sources.
"""

from __future__ import annotations

import io
import tomllib
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import pandas as pd
from fontTools.ttLib import TTFont
from fpdf import FPDF
from fpdf.enums import XPos, YPos
from pptx import Presentation
from pptx.dml.color import RGBColor
from pptx.util import Emu, Inches, Pt

from impact import alt_text, method
from impact.amounts import year_columns
from impact.exports import images
from impact.exports.view import SENTENCES_IN_FILES, View
from impact.i18n import Translator
from impact.paths import ROOT

TEMPLATES_DIR = ROOT / "templates"
DEFAULT_TEMPLATE = TEMPLATES_DIR / "report.toml"
PDF_MIME = "application/pdf"
PPTX_MIME = "application/vnd.openxmlformats-officedocument.presentationml.presentation"
# A report stays readable on a large federation: the long lists are cut, the pack has all.
MAX_SENTENCES = 12
MAX_TABLE_ROWS = 40
FONT_FALLBACKS = {
    "regular": Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"),
    "bold": Path("/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf"),
}


@dataclass(frozen=True)
class Template:
    """The adaptable look of reports, read from a TOML file."""

    name: str
    logo: Path | None
    website: str
    title: str
    foreword: str
    colours: dict[str, str]
    regular_font: Path
    bold_font: Path
    slides_font: str

    def rgb(self, colour: str) -> tuple[int, int, int]:
        """A template colour as (r, g, b)."""
        value = self.colours[colour].lstrip("#")
        return int(value[0:2], 16), int(value[2:4], 16), int(value[4:6], 16)


def _path(base: Path, value: str) -> Path:
    path = Path(value)
    return path if path.is_absolute() else base / path


def load_template(path: Path = DEFAULT_TEMPLATE) -> Template:
    """Read a report template; missing values fall back to the defaults."""
    with path.open("rb") as handle:
        raw: dict[str, Any] = tomllib.load(handle)
    org = raw.get("organisation", {})
    texts = raw.get("texts", {})
    fonts = raw.get("fonts", {})
    colours = {
        "primary": "#0072B2",
        "accent": "#E69F00",
        "text": "#1F2933",
        "muted": "#52606D",
        "light": "#EEF5FB",
        **raw.get("colours", {}),
    }
    logo = _path(path.parent, org["logo"]) if org.get("logo") else None
    regular = _path(path.parent, fonts.get("regular", str(FONT_FALLBACKS["regular"])))
    bold = _path(path.parent, fonts.get("bold", str(FONT_FALLBACKS["bold"])))
    return Template(
        name=str(org.get("name", "")),
        logo=logo if logo and logo.exists() else None,
        website=str(org.get("website", "")),
        title=str(texts.get("title", "")),
        foreword=str(texts.get("foreword", "")),
        colours=colours,
        regular_font=regular if regular.exists() else FONT_FALLBACKS["regular"],
        bold_font=bold if bold.exists() else FONT_FALLBACKS["bold"],
        slides_font=str(fonts.get("slides", "DejaVu Sans")),
    )


def report_title(view: View, template: Template) -> str:
    """The template's title, or the translated default."""
    return template.title or view.tr._("Impact report")


def organisation_name(view: View, template: Template) -> str:
    """The NGO's name from the template, or the dashboard's own, translated.

    The shipped template leaves it empty: a French default name was printed as is on
    the cover, footer and slides of Dutch and English reports.
    """
    return template.name or view.tr._("Impact — NGO statistics")


@cache
def _font_chars(path: Path) -> frozenset[int]:
    return frozenset(TTFont(str(path)).getBestCmap())


@cache
def _advances(path: Path) -> tuple[dict[int, int], int, int]:
    """A font's advance width of each character, its default one, and its units per em."""
    font = TTFont(str(path))
    widths = font["hmtx"].metrics
    advances = {code: widths[glyph][0] for code, glyph in font.getBestCmap().items()}
    return advances, widths[".notdef"][0], font["head"].unitsPerEm


def fitting_size(path: Path, text: str, width_pt: float, size: int, least: int = 18) -> int:
    """The largest point size from ``size`` down to ``least`` at which ``text`` is at most
    ``width_pt`` wide in the font at ``path`` (a slide's text box does not shrink it: a
    range key figure, « 12.175 tot 16.996 » at 34 pt, wrapped over its label)."""
    advances, default, per_em = _advances(path)
    units = sum(advances.get(ord(c), default) for c in text)
    while size > least and units * size / per_em > width_pt:
        size -= 1
    return size


# Characters a font may lack, and what to write instead.
_SUBSTITUTES = {"\u202f": "\u00a0", "\u2009": " ", "\u2265": ">=", "\u2026": "..."}


class _Pdf(FPDF):
    """A4 pages with the template's footer: organisation, selection, page number."""

    def __init__(self, view: View, template: Template) -> None:
        super().__init__(orientation="P", unit="mm", format="A4")
        self.view = view
        self.template = template
        self.add_font("Body", "", str(template.regular_font))
        self.add_font("Body", "B", str(template.bold_font))
        self.chars = _font_chars(template.regular_font) & _font_chars(template.bold_font)
        self.set_auto_page_break(auto=True, margin=20)
        self.set_margins(20, 18, 20)
        self.set_title(report_title(view, template))
        self.set_author(organisation_name(view, template))
        self.set_creator("impact-dashboard")
        self.set_lang(view.tr.lang)

    def clean(self, text: object) -> str:
        """Replace characters the font cannot draw (none with DejaVu)."""
        return "".join(
            c if ord(c) in self.chars or c in "\n\t" else _SUBSTITUTES.get(c, "?")
            for c in str(text)
        )

    def fit_font(self, text: str, width: float, size: float) -> None:
        """Bold at ``size`` points, smaller if ``text`` would not fit in ``width`` mm."""
        self.set_font("Body", "B", size)
        while size > 8 and self.get_string_width(self.clean(text)) > width:
            size -= 1
            self.set_font("Body", "B", size)

    def colour(self, name: str) -> None:
        self.set_text_color(*self.template.rgb(name))

    def footer(self) -> None:
        if self.page_no() == 1:
            return
        self.set_y(-13)
        self.set_font("Body", size=7.5)
        self.colour("muted")
        tr = self.view.tr
        name = organisation_name(self.view, self.template)
        left = f"{name} · {report_title(self.view, self.template)} · {self.view.scope}"
        self.cell(140, 5, self.clean(left[:110]))
        page = tr._("Page {page} of {pages}", page=self.page_no(), pages="{nb}")
        self.cell(0, 5, self.clean(page), align="R")

    def heading(self, text: str, size: float = 16) -> None:
        self.set_font("Body", "B", size)
        self.colour("primary")
        self.multi_cell(0, size * 0.5, self.clean(text), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.set_draw_color(*self.template.rgb("accent"))
        self.set_line_width(0.6)
        self.line(self.l_margin, self.get_y() + 1.5, self.l_margin + 25, self.get_y() + 1.5)
        self.ln(5)

    def paragraph(
        self, text: str, size: float = 10, colour: str = "text", markdown: bool = False
    ) -> None:
        self.set_font("Body", size=size)
        self.colour(colour)
        self.multi_cell(
            0,
            size * 0.5,
            self.clean(text),
            new_x=XPos.LMARGIN,
            new_y=YPos.NEXT,
            align="L",
            markdown=markdown,
        )
        self.ln(1.5)


def _cover(pdf: _Pdf, view: View, template: Template) -> None:
    tr = view.tr
    pdf.add_page()
    pdf.set_fill_color(*template.rgb("primary"))
    pdf.rect(0, 0, 210, 8, style="F")
    pdf.set_fill_color(*template.rgb("accent"))
    pdf.rect(0, 8, 210, 2, style="F")
    if template.logo:
        pdf.image(str(template.logo), x=20, y=30, h=28)
    pdf.set_xy(20, 66)
    pdf.set_font("Body", "B", 12)
    pdf.colour("muted")
    pdf.cell(
        0, 6, pdf.clean(organisation_name(view, template)), new_x=XPos.LMARGIN, new_y=YPos.NEXT
    )
    if template.website:
        pdf.set_font("Body", size=9)
        pdf.cell(0, 5, pdf.clean(template.website), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.set_y(100)
    pdf.set_font("Body", "B", 30)
    pdf.colour("primary")
    pdf.multi_cell(0, 13, pdf.clean(report_title(view, template)), new_x=XPos.LMARGIN)
    pdf.ln(4)
    pdf.set_font("Body", size=14)
    pdf.colour("text")
    pdf.multi_cell(0, 7, pdf.clean(view.scope), new_x=XPos.LMARGIN, new_y=YPos.NEXT, align="L")
    pdf.ln(2)
    if template.foreword:
        pdf.paragraph(template.foreword, 11)
    pdf.set_font("Body", size=10)
    pdf.colour("muted")
    pdf.multi_cell(
        0,
        5,
        pdf.clean(
            tr._(
                "Produced on {date} from the published figures of the organisations.",
                date=tr.date(view.day),
            )
        ),
        new_x=XPos.LMARGIN,
        new_y=YPos.NEXT,
        align="L",
    )
    # The key figures on the cover: what a reader remembers.
    pdf.set_y(200)
    shown = [f for f in view.figures if f.value is not None][:3]
    width = (210 - 40 - 2 * 6) / max(1, len(shown))
    for index, figure in enumerate(shown):
        x = 20 + index * (width + 6)
        pdf.set_fill_color(*template.rgb("light"))
        pdf.rect(x, 200, width, 34, style="F")
        pdf.set_xy(x + 4, 205)
        pdf.fit_font(figure.display(tr), width - 8, 22)
        pdf.colour("primary")
        pdf.cell(width - 8, 11, pdf.clean(figure.display(tr)))
        pdf.set_xy(x + 4, 219)
        pdf.set_font("Body", size=10)
        pdf.colour("text")
        pdf.multi_cell(width - 8, 5, pdf.clean(tr._(figure.title)), align="L")


def _key_figures(pdf: _Pdf, view: View, template: Template) -> None:
    tr = view.tr
    pdf.add_page()
    pdf.heading(tr._("Key figures"))
    box_w, box_h, gap = (170 - 2 * 5) / 3, 26, 5
    top = pdf.get_y()
    for index, figure in enumerate(view.figures):
        x = 20 + (index % 3) * (box_w + gap)
        y = top + (index // 3) * (box_h + gap)
        pdf.set_fill_color(*template.rgb("light"))
        pdf.rect(x, y, box_w, box_h, style="F")
        pdf.set_xy(x + 4, y + 4)
        pdf.fit_font(figure.display(tr), box_w - 8, 18)
        pdf.colour("primary")
        pdf.cell(box_w - 8, 9, pdf.clean(figure.display(tr)))
        pdf.set_xy(x + 4, y + 15)
        pdf.set_font("Body", size=9)
        pdf.colour("text")
        pdf.cell(box_w - 8, 5, pdf.clean(tr._(figure.title)))
    rows = (len(view.figures) + 2) // 3
    pdf.set_y(top + rows * (box_h + gap) + 2)
    for note in key_figure_notes(view):
        pdf.paragraph(note, 8.5, "muted")
    pdf.ln(3)
    pdf.heading(tr._("In words, ready to quote"), 13)
    texts = ([view.headline.text] if view.headline else []) + [
        s.text for s in view.first_sentences[:MAX_SENTENCES]
    ]
    if not texts:  # a heading over nothing read as a page left unfinished
        pdf.paragraph(tr._("No figure of persons reached in this selection."), 10, "muted")
    for text in texts:
        pdf.set_font("Body", size=10)
        pdf.colour("text")
        pdf.set_x(24)
        pdf.multi_cell(0, 5, pdf.clean("• " + text), new_x=XPos.LMARGIN, new_y=YPos.NEXT, align="L")
        pdf.ln(1.5)
    if view.sentence_count > SENTENCES_IN_FILES:
        pdf.paragraph(
            tr._(
                "The {shown} largest of {total} sentences; the figures pack holds the {files} "
                "largest.",
                shown=tr.number(MAX_SENTENCES),
                total=tr.number(view.sentence_count),
                files=tr.number(SENTENCES_IN_FILES),
            ),
            8.5,
            "muted",
        )
    elif view.sentence_count > MAX_SENTENCES:
        pdf.paragraph(
            tr._(
                "The {shown} largest of {total} sentences; the figures pack holds them all.",
                shown=tr.number(MAX_SENTENCES),
                total=tr.number(view.sentence_count),
            ),
            8.5,
            "muted",
        )


def key_figure_notes(view: View) -> list[str]:
    """What the key figures' marks and ranges mean, and what the counts count, in the
    report's words (PDF and deck): « 8 Pays » beside « dans 6 pays » of the sentence
    below read as a contradiction; the countries of the selection are not only those
    where persons were reached."""
    tr = view.tr
    notes = [
        tr._("{label}: {value}", label=tr._(f.title), value=f.help(tr))
        for f in view.figures
        if f.help(tr)
    ]
    marks = {f.amount.qualifier for f in view.figures if f.value is not None} - {"exact"}
    if marks:
        notes.append(
            tr._(
                "≥ at least (“more than”, or figures hidden for privacy); ≈ about; ≳ at least "
                "and about; see “How we count” at the end of this report."
            )
        )
    return notes


def _charts(pdf: _Pdf, view: View) -> None:
    tr = view.tr
    preset = images.PRESETS["report"]
    for index, spec in enumerate(view.charts):
        if index % 2 == 0:
            pdf.add_page()
            if index == 0:
                pdf.heading(tr._("Charts"))
        png = images.export(spec.figure, tr, view.caption, "report", "png")
        height = 170 * preset.height / preset.width
        if pdf.get_y() + height > 297 - 20:
            pdf.add_page()
        # what a screen reader says of the chart: the pages' text alternative, not its title
        described = alt_text.of(spec.figure) or spec.title
        pdf.image(io.BytesIO(png), x=20, w=170, alt_text=pdf.clean(described))
        pdf.ln(6)


def _number_text(tr: Translator, value: object, year: bool = False) -> str:
    """A cell as a reader writes it: « 2 100 », a year as « 2014 », no figure as « – »."""
    if value is None or value is pd.NA or (isinstance(value, float) and pd.isna(value)):
        return "–"
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, (int, float)) or hasattr(value, "item"):
        number = float(value)  # type: ignore[arg-type]
        return str(int(number)) if year else tr.number(number)
    return str(value)


def _table(
    pdf: _Pdf,
    title: str,
    frame: pd.DataFrame,
    template: Template,
    total: int | None = None,
    in_files: int | None = None,
) -> None:
    """A table's first ``MAX_TABLE_ROWS`` rows of ``frame``: the whole table, or its first
    rows of ``total`` when the files hold ``in_files`` of them (the figures added: up to
    ``ROWS_IN_FILES``, the largest)."""
    tr = pdf.view.tr
    if frame.empty:
        return
    if pdf.get_y() > 230:
        pdf.add_page()
    pdf.heading(title, 12)
    pdf.set_font("Body", size=8.5)
    pdf.colour("text")
    pdf.set_draw_color(203, 210, 217)
    pdf.set_line_width(0.2)
    numeric = [pd.api.types.is_numeric_dtype(frame[c]) for c in frame.columns]
    named_years = year_columns(tr)
    years = [str(c) in named_years for c in frame.columns]
    headings = [pdf.clean(c) for c in frame.columns]
    cells = [
        [pdf.clean(_number_text(tr, v, y)) for v, y in zip(row, years, strict=True)]
        for row in frame.head(MAX_TABLE_ROWS).itertuples(index=False)
    ]
    widths = _column_widths(pdf, headings, cells)
    with pdf.table(
        col_widths=widths,
        text_align=["RIGHT" if n else "LEFT" for n in numeric],
        headings_style=_heading_style(template),
        cell_fill_color=template.rgb("light"),
        cell_fill_mode="ROWS",
        line_height=4.6,
        borders_layout="HORIZONTAL_LINES",
    ) as table:
        table.row(headings)
        for cells_of_row in cells:
            table.row(cells_of_row)
    total = len(frame) if total is None else total
    in_files = total if in_files is None else in_files
    if total > in_files:
        pdf.paragraph(
            tr._(
                "The first {shown} rows of {total}; the figures pack holds the {files} largest.",
                shown=tr.number(min(MAX_TABLE_ROWS, len(frame))),
                total=tr.number(total),
                files=tr.number(in_files),
            ),
            8.5,
            "muted",
        )
    elif total > MAX_TABLE_ROWS:
        pdf.paragraph(
            tr._(
                "The first {shown} rows of {total}; the figures pack holds them all.",
                shown=tr.number(MAX_TABLE_ROWS),
                total=tr.number(total),
            ),
            8.5,
            "muted",
        )
    pdf.ln(5)


def _column_widths(pdf: _Pdf, headings: list[str], cells: list[list[str]]) -> list[float]:
    """Each column's width in mm: at least its longest word (heading or cell), then what
    is left shared by how much more each column needs to hold its cells on one line and
    its heading on two.

    fpdf cuts a word that is wider than its cell (« Democratisch / e Republiek Congo »,
    « Persone / n »); weights from the headings' lengths gave a long country name or a
    heading word too little room whichever way they leaned.
    """
    pad = 2 * pdf.c_margin + 0.6
    least, most = [], []
    for index, heading in enumerate(headings):
        pdf.set_font("Body", "B", 8.5)
        words = [pdf.get_string_width(w) for w in heading.split(" ")]
        whole = [pdf.get_string_width(heading) / 2]  # a heading reads well on two lines
        pdf.set_font("Body", "", 8.5)
        for row in cells:
            words += [pdf.get_string_width(w) for w in row[index].split(" ")]
            whole.append(pdf.get_string_width(row[index]))
        least.append(max(words) + pad)
        most.append(max(max(whole) + pad, least[-1]))
    room = pdf.epw - sum(least)
    if room <= 0:  # too many columns to keep every word whole: as narrow as they are wide
        return least
    wanted = [m - n for m, n in zip(most, least, strict=True)]
    if sum(wanted) <= room:  # every text on one line, the rest shared alike
        return [m + (room - sum(wanted)) / len(most) for m in most]
    # the smallest needs met first: a year or a qualifier on one line, a long name wraps
    widths = list(least)
    order = sorted(range(len(wanted)), key=wanted.__getitem__)
    for left, index in zip(range(len(order), 0, -1), order, strict=True):
        given = min(wanted[index], room / left)
        widths[index] += given
        room -= given
    return widths


def _heading_style(template: Template) -> Any:
    from fpdf.fonts import FontFace

    return FontFace(emphasis="BOLD", color=(255, 255, 255), fill_color=template.rgb("primary"))


def _tables(pdf: _Pdf, view: View, template: Template) -> None:
    tr = view.tr
    _ = tr._
    names = list(view.summary_tables)
    # the figures behind the persons' total, then the families' (each read up to the rows
    # shown: a federation's files hold 100 000 of them)
    added = [(a, view.first_rows(a, MAX_TABLE_ROWS)) for a in view.added]
    if all(rows.empty for _a, rows in added) and all(
        view.summary_tables[name].empty for name in names[1:]
    ):
        return  # no figure of persons reached: a page with a heading alone (the key
        # figures' page says so)
    pdf.add_page()
    pdf.heading(tr._("Tables"))
    # The « figures added » tables are long and quote sources: they go after the others.
    for name in names[1:]:
        _table(pdf, name, view.summary_tables[name], template)
    # figure, qualifier, group, the year as the source gives it (« 2010–2014 »,
    # « 2024 (année déduite) »), programme, country: the quotes are in the pack
    short = [
        _("Figure"),
        _("Qualifier"),
        _("Group"),
        _("Year, as the source gives it"),
        _("Programme"),
        _("Country"),
    ]
    for figures_added, rows in added:
        if not rows.empty:
            # never fewer than the rows read, whatever the count says
            total = max(figures_added.count, len(rows))
            held = max(figures_added.in_files, len(rows))
            _table(pdf, figures_added.title, rows[short], template, total, held)


def _method_and_sources(pdf: _Pdf, view: View) -> None:
    tr = view.tr
    pdf.add_page()
    pdf.heading(method.title(tr.lang))
    for section in method.sections(tr.lang):
        if section.heading:
            pdf.heading(section.heading, 11.5)
        for kind, text in section.blocks:
            pdf.set_x(24 if kind == "li" else 20)
            pdf.paragraph(("• " if kind == "li" else "") + text, 9, markdown=True)
    pdf.ln(2)
    pdf.heading(tr._("Selection"), 13)
    for setting, value in view.filter_rows:
        pdf.set_font("Body", "B", 9)
        pdf.colour("text")
        pdf.cell(52, 5, pdf.clean(setting))  # « Groupes de bénéficiaires » fits
        pdf.set_font("Body", size=9)
        pdf.multi_cell(0, 5, pdf.clean(value), new_x=XPos.LMARGIN, new_y=YPos.NEXT, align="L")
    pdf.ln(4)
    pdf.heading(tr._("Sources"), 13)
    labels = view.source_labels()
    if not labels:
        pdf.paragraph(tr._("no source in this selection"), 9.5)
    for number, text in enumerate(labels, start=1):
        pdf.set_x(20)
        pdf.paragraph(f"{number}. {text}", 9)


def to_pdf(view: View, template: Template | None = None) -> bytes:
    """The A4 report as PDF bytes."""
    template = template or load_template()
    pdf = _Pdf(view, template)
    _cover(pdf, view, template)
    _key_figures(pdf, view, template)
    if view.charts:
        _charts(pdf, view)
    _tables(pdf, view, template)
    _method_and_sources(pdf, view)
    return bytes(pdf.output())


# --- Slides ---------------------------------------------------------------------------

SLIDE_W, SLIDE_H = Emu(12192000), Emu(6858000)  # 13.333 × 7.5 in, PowerPoint's 16:9


def _rgb(template: Template, colour: str) -> Any:
    """A template colour for python-pptx."""
    return RGBColor(*template.rgb(colour))  # type: ignore[no-untyped-call]


def _text_box(
    slide: Any,
    template: Template,
    left: int,
    top: int,
    width: int,
    height: int,
    text: str,
    size: int,
    colour: str = "text",
    bold: bool = False,
) -> Any:
    box = slide.shapes.add_textbox(Emu(left), Emu(top), Emu(width), Emu(height))
    frame = box.text_frame
    frame.word_wrap = True
    lines = text.split("\n")
    for index, line in enumerate(lines):
        paragraph = frame.paragraphs[0] if index == 0 else frame.add_paragraph()
        run = paragraph.add_run()
        run.text = line
        run.font.size = Pt(size)
        run.font.bold = bold
        run.font.name = template.slides_font
        run.font.color.rgb = _rgb(template, colour)
    return box


def _band(slide: Any, template: Template) -> None:
    from pptx.enum.shapes import MSO_SHAPE

    for top, height, colour in (
        (0, Inches(0.18), "primary"),
        (Inches(0.18), Inches(0.05), "accent"),
    ):
        shape = slide.shapes.add_shape(MSO_SHAPE.RECTANGLE, 0, top, SLIDE_W, height)
        shape.fill.solid()
        shape.fill.fore_color.rgb = _rgb(template, colour)
        shape.line.fill.background()


def _footer(slide: Any, view: View, template: Template) -> None:
    text = f"{organisation_name(view, template)} · {view.scope} · {view.tr.date(view.day)}"
    _text_box(
        slide, template, Inches(0.5), Inches(7.0), Inches(12.3), Inches(0.4), text, 10, "muted"
    )


def to_pptx(view: View, template: Template | None = None) -> bytes:
    """The 16:9 slide deck as PPTX bytes."""
    template = template or load_template()
    tr = view.tr
    deck = Presentation()
    deck.slide_width, deck.slide_height = SLIDE_W, SLIDE_H
    blank = deck.slide_layouts[6]
    deck.core_properties.title = report_title(view, template)
    deck.core_properties.author = organisation_name(view, template)
    deck.core_properties.language = tr.locale.replace("_", "-")

    slide = deck.slides.add_slide(blank)
    _band(slide, template)
    if template.logo:
        slide.shapes.add_picture(str(template.logo), Inches(0.7), Inches(0.8), height=Inches(1.3))
    _text_box(
        slide,
        template,
        Inches(0.7),
        Inches(2.6),
        Inches(11.5),
        Inches(1.3),
        report_title(view, template),
        40,
        "primary",
        bold=True,
    )
    _text_box(slide, template, Inches(0.7), Inches(3.9), Inches(11.5), Inches(1.0), view.scope, 22)
    _text_box(
        slide,
        template,
        Inches(0.7),
        Inches(5.2),
        Inches(11.5),
        Inches(0.8),
        f"{organisation_name(view, template)}\n{tr.date(view.day)}",
        16,
        "muted",
    )

    slide = deck.slides.add_slide(blank)
    _band(slide, template)
    _text_box(
        slide,
        template,
        Inches(0.5),
        Inches(0.45),
        Inches(12.3),
        Inches(0.8),
        tr._("Key figures"),
        30,
        "primary",
        bold=True,
    )
    from pptx.enum.shapes import MSO_SHAPE

    # a key figure on one line: the box is 3.6 in wide, less its margins (0.1 in each side)
    room = 3.4 * 72
    for index, figure in enumerate(view.figures):
        left = Inches(0.5 + (index % 3) * 4.15)
        top = Inches(1.5 + (index // 3) * 2.0)
        box = slide.shapes.add_shape(MSO_SHAPE.RECTANGLE, left, top, Inches(3.95), Inches(1.75))
        box.fill.solid()
        box.fill.fore_color.rgb = _rgb(template, "light")
        box.line.fill.background()
        _text_box(
            slide,
            template,
            left + Inches(0.2),
            top + Inches(0.15),
            Inches(3.6),
            Inches(0.9),
            figure.display(tr),
            fitting_size(template.bold_font, figure.display(tr), room, 34),
            "primary",
            bold=True,
        )
        _text_box(
            slide,
            template,
            left + Inches(0.2),
            top + Inches(1.05),
            Inches(3.6),
            Inches(0.6),
            tr._(figure.title),
            16,
        )
    if view.headline:
        _text_box(
            slide,
            template,
            Inches(0.5),
            Inches(5.6),
            Inches(12.3),
            Inches(1.3),
            view.headline.text,
            13,
        )
    _footer(slide, view, template)

    preset = images.PRESETS["slide"]
    for spec in view.charts:
        slide = deck.slides.add_slide(blank)
        _band(slide, template)
        png = images.export(spec.figure, tr, view.caption, "slide", "png")
        height = Inches(6.55)
        width = int(height * preset.width / preset.height)
        picture = slide.shapes.add_picture(
            io.BytesIO(png), int((SLIDE_W - width) / 2), Inches(0.35), height=height
        )
        picture.name = spec.title
        # The alternative text screen readers speak (the title is drawn in the image): the
        # pages' text alternative, its largest and smallest values, ranges and marks.
        described = alt_text.of(spec.figure) or f"{spec.title} — {view.scope}"
        picture._element.nvPicPr.cNvPr.set("descr", described)
        slide.notes_slide.notes_text_frame.text = f"{spec.title}\n{view.scope}"

    labels = view.source_labels() or [tr._("no source in this selection")]
    numbered = [f"{n}. {t}" for n, t in enumerate(labels, start=1)]
    per_slide = 7  # long titles wrap: seven sources fill the text box at 14 pt
    for start in range(0, len(numbered), per_slide):
        slide = deck.slides.add_slide(blank)
        _band(slide, template)
        _text_box(
            slide,
            template,
            Inches(0.5),
            Inches(0.45),
            Inches(12.3),
            Inches(0.8),
            tr._("Sources"),
            30,
            "primary",
            bold=True,
        )
        _text_box(
            slide,
            template,
            Inches(0.5),
            Inches(1.4),
            Inches(12.3),
            Inches(4.2),
            "\n".join(numbered[start : start + per_slide]),
            14,
        )
        notes = "\n".join(key_figure_notes(view)[:2]) or method.title(tr.lang)
        _text_box(
            slide, template, Inches(0.5), Inches(5.6), Inches(12.3), Inches(1.3), notes, 11, "muted"
        )
        _footer(slide, view, template)

    buffer = io.BytesIO()
    deck.save(buffer)
    return buffer.getvalue()
