"""Translations (gettext catalogs) and locale formatting for FR, NL and EN.

UI strings are English msgids marked with ``_()`` (or ``N_()`` where the text is
translated later) and translated through the ``.po`` catalogs in ``locales/``.
Every ``.po`` file of a language is merged, so each feature can keep its own
catalog. Catalogs are compiled in memory with Babel, so no build step or
committed binary ``.mo`` file can drift from the ``.po`` source.
"""

from __future__ import annotations

import gettext
import io
import re
from dataclasses import dataclass
from datetime import date
from functools import cache, lru_cache
from typing import Any

from babel import Locale
from babel.dates import format_date, format_skeleton
from babel.messages.catalog import Catalog, Message
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.numbers import NumberPattern, parse_pattern

from impact.paths import LOCALES_DIR

Day = date  # the type, under a name the class's ``date`` method does not hide

LANGS = ("fr", "nl", "en")
DEFAULT_LANG = "fr"
# Babel locale of each UI language: Belgian French and Dutch number and date styles.
LOCALES = {"fr": "fr_BE", "nl": "nl_BE", "en": "en_GB"}
LANGUAGE_NAMES = {"fr": "Français", "nl": "Nederlands", "en": "English"}
# Quotation marks: French « » with no-break spaces inside, English and Dutch “ ”.
QUOTES = {"fr": ("«\u00a0", "\u00a0»"), "nl": ("“", "”"), "en": ("“", "”")}
_GUILLEMETS = re.compile(r"«\s*(.*?)\s*»", re.DOTALL)


def N_(message: str) -> str:
    """Mark a string for extraction without translating it now (translated at display)."""
    return message


def NP_(singular: str, plural: str) -> tuple[str, str]:
    """Mark a message with a plural form, translated at display with ``Translator.ngettext``.

    « 1 more problems » is wrong in every language; a count in a rule's message
    needs the form that fits it, and ``(s)`` is no form at all.
    """
    return singular, plural


@cache
def catalog(lang: str) -> gettext.NullTranslations:
    """All ``.po`` catalogs of ``lang`` merged into one and compiled in memory.

    One catalog, not a chain of fallbacks: a lookup is then one dictionary read,
    where the chain of eleven files took up to eleven (a third of the time the
    Map page spent writing its hovers). Where two files translate the same
    message, the first in name order is kept, as the chain did.
    """
    folder = LOCALES_DIR / lang / "LC_MESSAGES"
    merged: Catalog | None = None
    for po_path in sorted(folder.glob("*.po")):
        with po_path.open("rb") as handle:
            po = read_po(handle, locale=lang)
        if merged is None:
            merged = po
            continue
        for message in po:  # the header (empty id) is the first file's
            if message.id and not _translates(merged.get(message.id, message.context)):
                merged[message.id] = message
    if merged is None:
        return gettext.NullTranslations()
    buffer = io.BytesIO()
    write_mo(buffer, merged)
    buffer.seek(0)
    return gettext.GNUTranslations(buffer)


def _translates(message: Message | None) -> bool:
    """True when ``message`` gives a translation (compiled catalogs leave out the others)."""
    if message is None or message.fuzzy:
        return False
    strings = message.string if isinstance(message.string, tuple) else (message.string,)
    return all(strings)


def normalise_lang(value: object) -> str:
    """Return a supported language code, the default for anything else."""
    text = str(value or "").strip().lower()[:2]
    return text if text in LANGS else DEFAULT_LANG


@cache
def _number_format(locale: str, decimals: int) -> tuple[Locale, NumberPattern]:
    """The locale and the parsed pattern of ``Translator.number`` (parsed once, not per call)."""
    return Locale.parse(locale), parse_pattern("#,##0" + ("." + "0" * decimals if decimals else ""))


@lru_cache(maxsize=65536)
def _formatted(locale: str, value: float | int, decimals: int) -> str:
    """One number in one locale, remembered: a page writes the same totals in its hovers,
    tables and sentences, and a map's hovers write thousands of numbers on every run."""
    babel_locale, pattern = _number_format(locale, decimals)
    return str(pattern.apply(value, babel_locale))


@dataclass(frozen=True)
class Translator:
    """Translate and format for one language; passed to core code that writes text."""

    lang: str = DEFAULT_LANG

    @property
    def locale(self) -> str:
        """Babel locale name (``fr_BE``, ``nl_BE``, ``en_GB``)."""
        return LOCALES[self.lang]

    def _(self, message: str, **values: Any) -> str:
        """Translate ``message`` and fill its ``{named}`` placeholders."""
        text = catalog(self.lang).gettext(message)
        return self.typography(text.format(**values) if values else text)

    def ngettext(self, singular: str, plural: str, n: int, **values: Any) -> str:
        """Translate with the plural form that fits ``n``."""
        text = catalog(self.lang).ngettext(singular, plural, n)
        return self.typography(text.format(n=self.number(n), **values))

    def marked(self, message: str | tuple[str, str], n: int = 0, **values: Any) -> str:
        """A message marked with ``N_``, or with ``NP_`` in the form that fits ``n``
        (the rule tables of ``impact.validation`` and ``impact.curation.report``)."""
        if isinstance(message, tuple):
            return self.ngettext(*message, n, **values)
        return self._(message, **values)

    def typography(self, text: str) -> str:
        """The language's quotation marks: « » in messages become “ ” in English and Dutch.

        Messages (English msgids, and translations) quote with « »; one rule here
        gives every English and Dutch text its own marks, whoever wrote the message.
        """
        if self.lang == "fr" or "«" not in text:
            return text
        opening, closing = QUOTES[self.lang]
        return _GUILLEMETS.sub(lambda m: f"{opening}{m[1]}{closing}", text)

    def quote(self, text: object) -> str:
        """``text`` between the language's quotation marks (a source's own words)."""
        opening, closing = QUOTES[self.lang]
        return f"{opening}{text}{closing}"

    def number(self, value: float | int | None, decimals: int | None = None) -> str:
        """Format a number for the locale: « 10 378 » (fr), « 10.378 » (nl), « 10,378 » (en)."""
        if value is None:
            return "–"
        if decimals is None:
            decimals = 0 if float(value).is_integer() else 1
        return _formatted(self.locale, value, decimals)

    def percent(self, value: float | int) -> str:
        """Format a value already in percent: « 35 % » (fr), « 35% » (nl, en)."""
        number = self.number(value)
        return self._("{value}%", value=number)

    def date(self, value: date) -> str:
        """Format a date in the locale's long style."""
        return format_date(value, format="long", locale=self.locale)

    def published(self, value: Day) -> str:
        """A source's date no more precise than it is known: « 2017 », « juin 2016 »,
        « 7 février 2025 » (see :func:`known_part`)."""
        part = known_part(value)
        if part == "year":
            return str(value.year)
        if part == "month":
            return format_skeleton("yMMMM", value, locale=self.locale)
        return self.date(value)

    def language_name(self, code: str) -> str:
        """Name of a language in this locale (for menus)."""
        return (Locale.parse(self.locale).languages.get(code) or code).capitalize()


def known_part(value: date) -> str:
    """How much of a source's ``published`` date is known: "year", "month" or "day".

    The contract stores the first day of the period when only a year or a month is
    known (data/datapackage.json), so 2017-01-01 is « 2017 » and 2016-06-01 « June
    2016 »: printed « 1 January 2017 », it said more than its source (ECPAT's
    publications give years). A source really of 1 June is shown « June 2016 », which
    is still true.
    """
    if value.day != 1:
        return "day"
    return "year" if value.month == 1 else "month"


def published_iso(value: date) -> str:
    """The ISO 8601 form of a source's date to its known precision: « 2017 », « 2016-06 »."""
    iso = date(value.year, value.month, value.day).isoformat()
    return {"year": iso[:4], "month": iso[:7]}.get(known_part(value), iso)
