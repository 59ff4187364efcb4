"""Map the columns of a received file to the data contract, and build the candidate data.

A :class:`Mapping` says, for one target resource of ``datapackage.json``, which
file column feeds each field, which fields take a constant (programme, source,
year…) and, for figures, which columns hold counts: of what measure, of which
group, and whether a column is a part of another (« Personnes atteintes » and
« dont enfants »: the children are a part of the persons, never added to them).

:func:`propose` guesses a mapping from HXL tags first (``#country+code``,
``#date+year``, ``#reached``…), then from column names in English, French and
Dutch (the last part of a combined header « Projet / Pays » counts too). A
mapping the curator confirmed is remembered by the shape of the file (its
column names and tags), so the next export of the same spreadsheet is mapped the
same way. Mappings are JSON files in ``<data folder>/.store/mappings/``, next to
the versions they produced and outside any one version, so an undo does not
forget them.

:func:`apply_mapping` turns the table into contract rows, column by column
(each distinct value is converted once): numbers are read with the decimal
separator their column shows (:func:`impact.curation.reading.column_numbers`)
and re-written with a decimal point, country names become ISO codes, dates
years, control characters are removed from text; total rows (« Total »,
« Totaal ») are left out. What it decided that the curator should know comes
back as :class:`Note` objects for the report. :func:`merge` writes a complete
candidate data folder that :mod:`impact.curation.report` validates with the
real contract checks before anything is written for good, and compares it with
the current data by primary key. A record that already exists keeps the values
of the fields the import does not supply.
"""

from __future__ import annotations

import csv
import hashlib
import io
import itertools
import json
import re
import shutil
import unicodedata
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import asdict, dataclass, field
from functools import cache
from json.encoder import encode_basestring_ascii  # type: ignore[attr-defined]
from operator import itemgetter
from pathlib import Path
from typing import Any, TypeVar

from impact.curation.reading import (
    ColumnNumbers,
    Table,
    column_numbers,
    format_number,
    is_missing,
    parse_number,
)
from impact.i18n import N_
from impact.schema import DESCRIPTOR, Resource, contract
from impact.validation import CONTROL, csv_column, visible

T = TypeVar("T")
FACTS = "beneficiaries"
SLUG = "^[a-z0-9][a-z0-9_-]*$"
MODES = {
    "upsert": N_("Add new rows and update rows with the same identifier"),
    "replace_source": N_("Replace every row of the same source"),
    "replace_all": N_("Replace the whole file"),
}

# Field -> HXL tag prefixes that fill it (first match wins).
HXL_FIELDS: dict[str, tuple[str, ...]] = {
    "country_iso3": (
        "#country+code+asylum",
        "#country+asylum",
        "#country+code",
        "#adm0+code",
        "#country+iso3",
        "#country",
        "#adm0+name",
    ),
    "year": ("#date+year", "#date+reported", "#date"),
    "place_id": ("#loc+code",),
    "name": ("#org+name", "#activity+name", "#country+name", "#loc+name"),
    "acronym": ("#org+acronym",),
    "org_id": ("#org+code", "#org+id"),
    "theme": ("#sector",),
    "group": ("#population_group", "#population+group"),
    "admin1": ("#adm1+name",),
    "lat": ("#geo+lat",),
    "lon": ("#geo+lon",),
    "iso3": ("#country+code", "#country+iso3"),
    "iso2": ("#country+iso2",),
}
# HXL attributes that make a tag a second choice for a field: the figures of a
# refugee file are where the people are (asylum), not where they come from.
HXL_AVOID = frozenset({"origin"})
HXL_MEASURES = {"#reached": "reached", "#targeted": "targeted", "#target": "targeted"}
# One column holding both coordinates (« 12.5,-69.97 »): it fills lat and lon.
LATLON = ("latlng", "latlon", "lat lng", "lat lon", "coordinates", "coordonnees", "coordinaten")
# Column names (normalised) that mean a field, in English, French and Dutch.
NAME_FIELDS: dict[str, tuple[str, ...]] = {
    "country_iso3": ("country", "pays", "land", "iso3", "country code", "code pays", "landcode"),
    "year": ("year", "annee", "jaar", "date", "periode"),
    "group": ("group", "groupe", "doelgroep", "beneficiary group", "public"),
    "unit": ("unit", "unite", "eenheid"),
    "measure": ("measure", "mesure", "maat"),
    "count": ("count", "nombre", "aantal", "value", "valeur", "waarde", "total", "totaal"),
    "programme_id": ("programme", "program", "programma", "projet", "project"),
    "place_id": ("place", "lieu", "plaats"),
    "quote": ("quote", "citation", "citaat"),
    "note": ("note", "remarque", "opmerking", "comment", "commentaire"),
    "qualifier": ("qualifier",),
    "source_id": ("source",),
    # a country table (the countries file, or mledoze/world-countries' « cca3 », « latlng »)
    "iso3": ("iso3", "cca3", "iso a3", "alpha3", "alpha 3", "iso 3166 1 alpha 3", "code iso3"),
    "iso2": ("iso2", "cca2", "iso a2", "alpha2", "alpha 2", "iso 3166 1 alpha 2", "code iso2"),
    "name_fr": ("name fr", "nom fr", "french name", "nom francais", "translations fra common"),
    "name_nl": ("name nl", "naam nl", "dutch name", "nederlandse naam", "translations nld common"),
    "name_en": ("name en", "english name", "nom anglais", "engelse naam", "name common"),
    "region": ("region", "regio", "continent"),
    "lat": ("lat", "latitude", "breedtegraad", *LATLON),
    "lon": ("lon", "lng", "longitude", "lengtegraad", *LATLON),
}
NAME_MEASURES = {
    "reached": (
        "reached",
        "atteints",
        "beneficiaires",
        "bereikt",
        "personnes atteintes",
        "persons reached",
        "people reached",
        "personen bereikt",
    ),
    "targeted": ("targeted", "target", "cible", "cibles", "beoogd", "doel"),
}
# « dont enfants », « of whom children », « waarvan kinderen »: a part of the column before.
PART_PREFIX = re.compile(
    r"^(?:dont|dont des|dont les|parmi eux|parmi lesquels|y compris|of whom|of which|"
    r"among them|including|incl|waarvan|w v|onder wie|inclusief)(?: (?P<rest>.*))?$"
)
DEFAULTS = {"unit": "persons", "group": "all", "qualifier": "exact", "year_basis": "stated"}
# Codes of humanitarian files (HNO, UNHCR, HAPI) for values of the vocabularies.
CODES: dict[str, dict[str, str]] = {
    "group": {
        "ref": "refugees",
        "asy": "asylum_seekers",
        "mig": "migrants",
        "refugee": "refugees",
        "enfant": "children",
        "child": "children",
        "kind": "children",
        "femme": "women",
        "vrouw": "women",
        "jeune": "young_people",
        "jongeren": "young_people",
    },
    "kind": {
        "international ngo": "international_ngo",
        "ingo": "international_ngo",
        "national ngo": "ngo",
        "local ngo": "ngo",
        "nngo": "ngo",
        "lngo": "ngo",
        "ong nationale": "ngo",
        "ong locale": "ngo",
        "ong internationale": "international_ngo",
        "government": "public_body",
        "private sector": "company",
    },
}
TRUE = {"true", "yes", "oui", "ja", "y", "1", "vrai", "waar"}
FALSE = {"false", "no", "non", "nee", "n", "0", "faux", "onwaar"}
_YEAR = re.compile(r"(?<![0-9])(19[0-9]{2}|20[0-9]{2}|2100)(?![0-9])")
_PAIR = re.compile(r"\[?\s*(-?[0-9]+(?:\.[0-9]+)?)\s*[,;]\s*(-?[0-9]+(?:\.[0-9]+)?)\s*\]?")
_DMY = re.compile(r"([0-9]{1,2})[/.-]([0-9]{1,2})[/.-]([0-9]{4})")
# « Total », « Sous-total », « Totaal generaal », « Grand total Maroc »…
TOTAL_LABEL = re.compile(
    r"^(?:grand |sous |sub )?(?:total|totaal|totaux|totals|totalen|subtotal|subtotaal|"
    r"somme|sum)(?: general| generaal| generale| global| globaal)?(?: .{0,60})?$"
)
# Fields whose column may name a row « Total » (identity fields, not free text).
TOTAL_FIELDS = frozenset(
    {
        "country_iso3",
        "programme_id",
        "place_id",
        "org_id",
        "name",
        "group",
        "year",
        "theme",
        "admin1",
        "iso3",
        "title",
        "label",
        "acronym",
        "unit",
        "measure",
    }
)


@dataclass
class Mapping:
    """How a file's columns become rows of one resource of the contract."""

    resource: str = FACTS
    columns: dict[str, str] = field(default_factory=dict)  # field -> file column
    constants: dict[str, str] = field(default_factory=dict)  # field -> value
    measures: dict[str, str] = field(default_factory=dict)  # count column -> measure
    groups: dict[str, str] = field(default_factory=dict)  # count column -> group
    parts: dict[str, str] = field(default_factory=dict)  # count column -> its whole's column
    decimal: str = "."  # the file's convention, for columns whose values do not tell
    decimals: dict[str, str] = field(default_factory=dict)  # column -> separator chosen
    mode: str = "upsert"
    keep_totals: bool = False  # keep rows that read « Total » (left out by default)

    def to_json(self) -> str:
        """The mapping as JSON (what is remembered)."""
        return json.dumps(asdict(self), ensure_ascii=False, indent=2, sort_keys=True)

    @classmethod
    def from_json(cls, text: str) -> Mapping:
        """Read a remembered mapping; unknown keys are ignored, new ones take defaults."""
        raw = json.loads(text)
        known = {k: raw[k] for k in ("resource", "columns", "constants", "measures", "decimal")}
        mapping = cls(**known)
        mapping.mode = str(raw.get("mode", "upsert"))
        mapping.keep_totals = bool(raw.get("keep_totals", False))
        for name in ("groups", "parts", "decimals"):
            value = raw.get(name) or {}
            if not isinstance(value, dict):
                raise TypeError(name)
            setattr(mapping, name, {str(k): str(v) for k, v in value.items()})
        return mapping

    def count_columns(self) -> list[str]:
        """The count columns, each whole before its parts (a part names its whole's id)."""
        wholes = [c for c in self.measures if c not in self.parts]
        return wholes + [c for c in self.measures if c in self.parts]


@dataclass(frozen=True)
class Note:
    """Something the mapping decided or noticed that the report must tell the curator.

    ``rule`` is a key of :data:`impact.curation.report.RULES`; ``line`` is the
    spreadsheet row of the first example, ``count`` how many cells or rows.
    """

    rule: str
    column: str | None = None
    line: int | None = None
    value: str | None = None
    count: int = 1
    suggestion: str | None = None
    severity: str = "warning"
    details: dict[str, Any] = field(default_factory=dict, compare=False, hash=False)


@dataclass
class Mapped:
    """Contract rows built from a file, column by column, each with its spreadsheet row."""

    resource: str
    fields: list[str]
    data: dict[str, list[str]]  # field -> one value per row
    lines: list[int]
    count_columns: list[str | None]
    notes: list[Note] = field(default_factory=list)
    skipped: list[tuple[int, str]] = field(default_factory=list)  # total rows left out

    def __len__(self) -> int:
        return len(self.lines)

    def row(self, index: int) -> dict[str, str]:
        """One row as a dict (field -> value)."""
        return {name: self.data[name][index] for name in self.fields}

    @property
    def rows(self) -> list[dict[str, str]]:
        """Every row as a dict (for small files and tests; the writer reads columns)."""
        return [self.row(i) for i in range(len(self))]

    def tuples(self) -> Iterable[tuple[str, ...]]:
        """The rows in the resource's column order."""
        return zip(*(self.data[name] for name in self.fields), strict=True)


def _plain(text: str) -> str:
    """Lower-case, without accents or punctuation: « Année » -> « annee »."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    letters = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(re.sub(r"[^a-z0-9]+", " ", letters).split())


def _leaf(column: str) -> str:
    """The last part of a combined header: « Projet / Pays » -> « pays »."""
    return _plain(column.rsplit(" / ", 1)[-1])


def shape_hash(table: Table) -> str:
    """A short fingerprint of the file's layout (column names and HXL tags)."""
    names, tags = table.shape()
    raw = json.dumps([names, tags], ensure_ascii=False)
    return hashlib.sha256(raw.encode("utf-8")).hexdigest()[:16]


def mappings_dir(root: Path) -> Path:
    """Where remembered mappings live for the data folder ``root``."""
    return root / ".store" / "mappings"


def remember(root: Path, table: Table, mapping: Mapping) -> Path:
    """Store the confirmed mapping for files of the same shape."""
    folder = mappings_dir(root)
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{shape_hash(table)}.json"
    temp = path.with_suffix(".tmp")
    temp.write_text(mapping.to_json(), encoding="utf-8")
    temp.replace(path)
    return path


def recall(root: Path, table: Table) -> Mapping | None:
    """The mapping confirmed earlier for a file of this shape, if any still fits it."""
    path = mappings_dir(root) / f"{shape_hash(table)}.json"
    try:
        mapping = Mapping.from_json(path.read_text(encoding="utf-8"))
    except (OSError, ValueError, KeyError, TypeError):
        return None
    used = set(mapping.columns.values()) | set(mapping.measures)
    return mapping if used <= set(table.columns) else None


def guess_resource(table: Table) -> str:
    """The file of the data this table fills best: figures, unless another file's
    required fields are found in at least 60 % and more than the figures' are.

    A field is found as the proposal finds it (its name, an HXL tag, a synonym), so a
    country table with « cca3 », « region » and « latlng » is proposed as
    ``countries.csv``, not as figures with no count (which would read « 250 added »
    beside « count is required »).
    """
    fits = {r.name: _fit(table, r) for r in contract().resources}
    best = max(fits, key=lambda name: (fits[name], name == FACTS))
    return best if best != FACTS and fits[best] >= 0.6 and fits[best] > fits[FACTS] else FACTS


def _fit(table: Table, resource: Resource) -> float:
    """The share of ``resource``'s required fields that the file's columns give.

    Fields the import makes itself do not count: a figure's id and quote, the
    figure defaults (unit, group…) and, for a record named by a name column, its id.
    """
    mapping = Mapping(resource=resource.name)
    _propose_columns(table, resource, mapping)
    if resource.name == FACTS:
        tags = table.hxl or [""] * len(table.columns)
        _propose_counts(table, mapping, tags, set(mapping.columns.values()))
    made = made_fields(mapping) | ({"measure", *DEFAULTS} if resource.name == FACTS else set())
    needed = [f.name for f in resource.fields if f.required and f.name not in made]
    return sum(n in mapping.columns for n in needed) / len(needed) if needed else 0.0


def made_fields(mapping: Mapping) -> set[str]:
    """Required fields the import makes itself, so no column or constant is asked for:
    a figure's id and quote, its count and measure when count columns are mapped, and
    the id of a record named by a name or title column (see ``_complete_ids``)."""
    resource = contract().resource(mapping.resource)
    made = {"fact_id", "quote"} if mapping.resource == FACTS else set()
    if mapping.measures:
        made |= {"count", "measure"}
    if len(resource.primary_key) == 1 and any(n in mapping.columns for n in ("name", "title")):
        made.add(resource.primary_key[0])
    return made


def _tag_matches(tag: str, prefix: str) -> bool:
    if not tag:
        return False
    parts, wanted = tag.split("+"), prefix.split("+")
    return parts[0] == wanted[0] and set(wanted[1:]) <= set(parts[1:])


def _by_tag(table: Table, tags: list[str], prefixes: Sequence[str]) -> str | None:
    """The first column whose tag matches a prefix, preferring tags without avoided attributes."""
    for prefix in prefixes:
        found = [c for c, t in zip(table.columns, tags, strict=True) if _tag_matches(t, prefix)]
        if found:
            plain = [
                c for c in found if not HXL_AVOID & set(tags[table.columns.index(c)].split("+")[1:])
            ]
            return (plain or found)[0]
    return None


def _by_name(table: Table, wanted: Iterable[str]) -> str | None:
    """The first column whose whole name, else whose last part, is one of ``wanted``."""
    names = set(wanted)
    for key in (_plain, _leaf):
        column = next((c for c in table.columns if key(c) in names), None)
        if column is not None:
            return column
    return None


def part_group(column: str) -> tuple[bool, str | None]:
    """Whether a column name says « part of the column before », and of which group.

    « dont enfants » -> (True, "children"); « Personnes » -> (False, None).
    """
    found = PART_PREFIX.match(_leaf(column))
    if found is None:
        return False, None
    rest = found.group("rest") or ""
    lookup = enum_lookup(FACTS, "group")
    for candidate in (rest, rest.removesuffix("s"), rest.split(" ")[-1].removesuffix("s")):
        if candidate in lookup:
            return True, lookup[candidate]
    return True, None


def propose(table: Table, resource_name: str | None = None) -> Mapping:
    """A first mapping from HXL tags and column names; the curator corrects it."""
    name = resource_name or guess_resource(table)
    resource = contract().resource(name)
    mapping = Mapping(resource=name, decimal=table.decimal)
    tags = table.hxl or [""] * len(table.columns)
    taken = _propose_columns(table, resource, mapping)
    if name == FACTS:
        _propose_counts(table, mapping, tags, taken)
        for default, value in DEFAULTS.items():
            if default not in mapping.columns:
                mapping.constants[default] = value
        if "measure" not in mapping.columns and not mapping.measures:
            mapping.constants["measure"] = "reached"
    return mapping


def _propose_columns(table: Table, resource: Resource, mapping: Mapping) -> set[str]:
    """Each field's column by its name, its HXL tag, then a synonym; the columns taken.

    A column is given to one field, except one of coordinate pairs (« latlng »),
    which fills both lat and lon.
    """
    tags = table.hxl or [""] * len(table.columns)
    plain = [_plain(c) for c in table.columns]
    taken: set[str] = set()
    for fld in resource.fields:
        column = None
        if _plain(fld.name) in plain:
            column = table.columns[plain.index(_plain(fld.name))]
        if column is None and fld.name in HXL_FIELDS:
            column = _by_tag(table, tags, HXL_FIELDS[fld.name])
        if column is None:
            column = _by_name(table, NAME_FIELDS.get(fld.name, ()))
        pair = fld.name == "lon" and column is not None and _plain(column) in LATLON
        if column and (column not in taken or pair):
            mapping.columns[fld.name] = column
            taken.add(column)
    return taken


def _propose_counts(table: Table, mapping: Mapping, tags: list[str], taken: set[str]) -> None:
    """Count columns by tag or name, and « dont … » columns as parts of the one before."""
    if "count" not in mapping.columns:
        for column, tag in zip(table.columns, tags, strict=True):
            measure = next((m for t, m in HXL_MEASURES.items() if _tag_matches(tag, t)), None)
            if measure is None and not tag:
                measure = next(
                    (
                        m
                        for m, names in NAME_MEASURES.items()
                        if _plain(column) in names or _leaf(column) in names
                    ),
                    None,
                )
            if measure and column not in taken:
                mapping.measures[column] = measure
                taken.add(column)
    whole: str | None = None
    for column in table.columns:
        if column in mapping.measures or column == mapping.columns.get("count"):
            whole = column
            continue
        is_part, group = part_group(column)
        if not is_part or whole is None or column in taken:
            continue
        if whole == mapping.columns.get("count"):  # a single count column becomes a measure
            del mapping.columns["count"]
            mapping.measures[whole] = mapping.constants.get("measure", "reached")
        mapping.measures[column] = mapping.measures[whole]
        mapping.parts[column] = whole
        if group:
            mapping.groups[column] = group
        taken.add(column)


# --- values ----------------------------------------------------------------------------------


def country_lookup(folder: Path) -> dict[str, str]:
    """Every way the countries file writes a country (ISO codes, three names) -> ISO3."""
    lookup: dict[str, str] = {}
    path = folder / contract().resource("countries").path
    try:
        with path.open(encoding="utf-8-sig", newline="") as handle:
            for row in csv.DictReader(handle):
                iso3 = row.get("iso3") or ""
                for key in ("iso3", "iso2", "name_fr", "name_nl", "name_en"):
                    if row.get(key):
                        lookup[_plain(row[key])] = iso3
    except (OSError, csv.Error, UnicodeDecodeError):
        return {}
    return lookup


@cache
def enum_lookup(resource: str, field_name: str) -> dict[str, str]:
    """Every way to write an allowed value (the value, its FR/NL/EN labels) -> the value."""
    from impact.i18n import LANGS, Translator
    from impact.vocab import VOCAB_COLUMNS, label

    allowed = contract().resource(resource).field(field_name).enum
    vocabulary = next((v for v, rc in VOCAB_COLUMNS.items() if rc == (resource, field_name)), "")
    lookup: dict[str, str] = {}
    for value in allowed:
        for lang in LANGS:
            lookup.setdefault(_plain(label(Translator(lang), vocabulary, value)), value)
    for value in allowed:
        lookup[_plain(value)] = value
    for code, value in CODES.get(field_name, {}).items():
        if value in allowed:
            lookup.setdefault(code, value)
    return lookup


def convert(value: str, resource: Resource, field_name: str, ctx: dict[str, Any]) -> str:
    """Write one cell the way the contract wants it; leave it as is when unsure."""
    return converter(resource, field_name, ctx)(value)


def converter(resource: Resource, field_name: str, ctx: dict[str, Any]) -> Callable[[str], str]:
    """The function that writes cells of ``field_name`` the way the contract wants them.

    Text loses its control characters and repeated spaces; numbers are read with
    ``ctx["decimal"]`` and written with a decimal point; years are found in
    dates; booleans, dates, vocabulary labels and country names are normalised.
    A value it cannot read is left as it is, for validation to report.
    """
    fld = resource.field(field_name)
    numeric = fld.type != "string"
    decimal = ctx.get("decimal", ".")
    countries: dict[str, str] = ctx.get("countries", {})
    lookup = enum_lookup(resource.name, field_name) if fld.enum else {}
    year = fld.type == "integer" and field_name.endswith("year")
    pair = field_name in {"lat", "lon"}

    def run(value: str) -> str:
        if is_missing(value, numeric=numeric):
            return ""
        plain = value.isprintable() and "  " not in value
        if plain and not value.startswith(" ") and not value.endswith(" "):
            text = value  # the usual cell: nothing to clean (control characters and every
            # space but « » are not printable), and the same object is not held twice
        else:
            text = " ".join(CONTROL.sub("", value).split())
            if text == value:
                text = value
        if fld.type in {"integer", "number"}:
            if year and not _looks_plain(text):
                found = _YEAR.search(text)
                return found.group(1) if found else text
            both = _PAIR.fullmatch(text) if pair else None
            if both:  # one « lat,lon » column mapped to both
                return both.group(1) if field_name == "lat" else both.group(2)
            number = parse_number(text, decimal)
            if number is None:
                return text
            written = format_number(number)
            return text if written == text else written
        if fld.type == "boolean":
            folded = text.casefold()
            return "true" if folded in TRUE else "false" if folded in FALSE else text
        if fld.type == "date":
            found = _DMY.fullmatch(text)
            if found:
                day, month, year_text = found.groups()
                return f"{year_text}-{int(month):02d}-{int(day):02d}"
            return text[:10] if re.match(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", text) else text
        if lookup:
            return lookup.get(_plain(text), text)
        if fld.pattern == "^[A-Z]{3}$":
            return str(countries.get(_plain(text), text.upper() if len(text) == 3 else text))
        return text

    return run


def _looks_plain(text: str) -> bool:
    return bool(re.fullmatch(r"[0-9]+", text))


@cache
def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", _plain(text)).strip("-")[:40] or "import"


def _json_text(value: str | None) -> str:
    return "null" if value is None else str(encode_basestring_ascii(value))


def _numbers_note(column: str, numbers: ColumnNumbers, lines: dict[str, int]) -> Note | None:
    """Tell the curator when a column's numbers could be read two ways."""
    if not numbers.ambiguous:
        return None
    example = min(numbers.ambiguous, key=lambda v: lines.get(v, 0))
    read = parse_number(example, numbers.decimal)
    other = "," if numbers.decimal == "." else "."
    alternative = parse_number(example, other)
    return Note(
        "ambiguous_number",
        column=column,
        line=lines.get(example),
        value=example,
        count=len(numbers.ambiguous),
        suggestion=None if alternative is None else format_number(alternative),
        details={
            "read": format_number(read) if read is not None else example,
            "separator": numbers.decimal,
            "other": other,
        },
    )


class _Columns:
    """Converted columns of the table, each distinct value converted once."""

    def __init__(self, table: Table, mapping: Mapping, resource: Resource, folder: Path) -> None:
        self.table = table
        self.mapping = mapping
        self.resource = resource
        self.index = {c: i for i, c in enumerate(table.columns)}
        self.countries = country_lookup(folder)
        self.notes: list[Note] = []
        self._numbers: dict[str, ColumnNumbers] = {}

    def raw(self, column: str, keep: list[int]) -> list[str]:
        """The column's cells, for the kept rows."""
        values = list(map(itemgetter(self.index[column]), self.table.rows))
        return values if len(keep) == len(values) else [values[i] for i in keep]

    def first_lines(self, column: str, values: set[str], keep: list[int]) -> dict[str, int]:
        position = self.index[column]
        found: dict[str, int] = {}
        for i in keep:
            value = self.table.rows[i][position]
            if value in values and value not in found:
                found[value] = self.table.lines[i]
        return found

    def numbers(self, column: str, distinct: set[str], keep: list[int]) -> ColumnNumbers:
        if column not in self._numbers:
            numbers = column_numbers(
                distinct,
                self.mapping.decimal,
                self.mapping.decimals.get(column),
                typed=column in self.table.typed_columns,
            )
            self._numbers[column] = numbers
            lines = self.first_lines(column, set(numbers.ambiguous), keep)
            note = _numbers_note(column, numbers, lines)
            if note is not None:
                self.notes.append(note)
        return self._numbers[column]

    def convert(self, column: str, field_name: str, keep: list[int]) -> list[str]:
        """The column's cells written the way the contract wants ``field_name``."""
        values = self.raw(column, keep)
        distinct = set(values)
        fld = self.resource.field(field_name)
        ctx: dict[str, Any] = {"decimal": self.mapping.decimal, "countries": self.countries}
        if fld.type in {"integer", "number"}:
            ctx["decimal"] = self.numbers(column, distinct, keep).decimal
        run = converter(self.resource, field_name, ctx)
        memo = {v: run(v) for v in distinct}
        if fld.type == "string":
            dirty = [v for v in distinct if CONTROL.search(v)]
            if dirty:
                lines = self.first_lines(column, set(dirty), keep)
                first = min(dirty, key=lambda v: lines.get(v, 0))
                self.notes.append(
                    Note(
                        "control_characters",
                        column=column,
                        line=lines.get(first),
                        value=visible(first)[:80],
                        count=sum(1 for v in values if v in set(dirty)),
                    )
                )
        return [memo[v] for v in values]


def total_rows(table: Table, mapping: Mapping) -> dict[int, str]:
    """Rows that are totals of the others (row index -> the label that says so).

    A row is a total when its first cell, or a cell of a column mapped to an
    identity field (country, programme, place, name, group…), reads « Total »,
    « Sous-total », « Totaal », « Grand total » (optionally followed by a few
    words: « Total Maroc »). The app computes totals itself; kept, such a row
    would count every figure twice.
    """
    positions = {0} | {
        table.columns.index(c)
        for f, c in mapping.columns.items()
        if f in TOTAL_FIELDS and c in table.columns
    }
    positions -= {table.columns.index(c) for c in mapping.measures if c in table.columns}
    if "count" in mapping.columns and mapping.columns["count"] in table.columns:
        positions.discard(table.columns.index(mapping.columns["count"]))
    found: dict[int, str] = {}
    memo: dict[str, bool] = {}
    for position in sorted(positions):
        for index, row in enumerate(table.rows):
            value = row[position]
            if not value:
                continue
            if value not in memo:
                memo[value] = bool(TOTAL_LABEL.match(_plain(value)))
            if memo[value]:
                found.setdefault(index, value)
    return found


def apply_mapping(table: Table, mapping: Mapping, folder: Path) -> Mapped:
    """Contract rows for every data row (and every count column) of the file, total rows aside."""
    resource = contract().resource(mapping.resource)
    names = resource.field_names
    columns = _Columns(table, mapping, resource, folder)
    totals = total_rows(table, mapping) if resource.name == FACTS else {}
    if mapping.keep_totals:
        totals = {}
    keep = [i for i in range(len(table.rows)) if i not in totals]
    converted: dict[str, list[str]] = {}
    constant: dict[str, str] = {}
    ctx: dict[str, Any] = {"decimal": mapping.decimal, "countries": columns.countries}
    for name in names:
        column = mapping.columns.get(name)
        if column is not None and column in columns.index:
            converted[name] = columns.convert(column, name, keep)
        else:
            raw = mapping.constants.get(name, "")
            constant[name] = convert(raw, resource, name, ctx) if raw else ""
    lines = [table.lines[i] for i in keep]
    if resource.name != FACTS:
        data = {n: converted[n] if n in converted else [constant[n]] * len(keep) for n in names}
        _complete_ids(data, resource)
        mapped = Mapped(resource.name, names, data, lines, [None] * len(keep))
    else:
        mapped = _facts(table, mapping, resource, columns, keep, converted, constant)
    mapped.notes = columns.notes + _part_notes(table, mapping)
    mapped.skipped = sorted((table.lines[i], label) for i, label in totals.items())
    return mapped


def _facts(
    table: Table,
    mapping: Mapping,
    resource: Resource,
    columns: _Columns,
    keep: list[int],
    converted: dict[str, list[str]],
    constant: dict[str, str],
) -> Mapped:
    """One figure per kept row and count column: ids, quotes, parts of wholes.

    Built column by column (a list per field and count column), then laid out
    row by row: the figures of one spreadsheet row stay together, in the order
    of the count columns.
    """
    names = resource.field_names
    n = len(keep)
    counts: list[str | None] = [c for c in mapping.count_columns() if c in columns.index]
    if not counts:
        counts = [None]

    def per_row(name: str) -> list[str]:
        return converted[name] if name in converted else [constant[name]] * n

    programme = per_row("programme_id")
    given_ids = per_row("fact_id")
    given_quotes = per_row("quote")
    lines = [table.lines[i] for i in keep]
    skip = set(mapping.measures)
    identity_columns = [
        c for c in table.columns if c not in skip and c != mapping.columns.get("count")
    ]
    identity = _identities([columns.raw(c, keep) for c in identity_columns], n)
    built: dict[str | None, dict[str, list[str]]] = {}
    present: dict[str | None, list[bool]] = {}
    for column in counts:
        if column is None:
            count = per_row("count")
            present[column] = [True] * n
            measure, group = per_row("measure"), per_row("group")
        else:
            raw = columns.raw(column, keep)
            flags = {v: not is_missing(v) for v in set(raw)}
            present[column] = list(map(flags.__getitem__, raw))
            count = columns.convert(column, "count", keep)
            whole = mapping.parts.get(column)
            fixed = mapping.measures.get(whole or column)
            measure = [fixed] * n if fixed else per_row("measure")
            group = [mapping.groups[column]] * n if mapping.groups.get(column) else per_row("group")
        column_json = _json_text(column)
        # what an id starts with, and what its hash starts from, once per programme and measure
        heads = {
            (prog, m): (
                f"{_slug(prog or 'import')}-{m}-",
                f"[{_json_text(prog)}, {_json_text(m)}, {column_json}, ",
            )
            for prog, m in set(zip(programme, measure, strict=True))
        }
        ids = [
            given
            or (head := heads[prog, m])[0]
            + hashlib.sha256(f"{head[1]}{ident}]".encode()).hexdigest()[:10]
            for given, prog, m, ident in zip(given_ids, programme, measure, identity, strict=True)
        ]
        label = column or "count"
        quotes = [
            given or f"{table.name}, row {line}: {label} = {c}"
            for given, line, c in zip(given_quotes, lines, count, strict=True)
        ]
        built[column] = {
            "fact_id": ids,
            "measure": measure,
            "group": group,
            "count": count,
            "quote": quotes,
        }
    for column in counts:
        whole = mapping.parts.get(column) if column is not None else None
        if whole is not None and whole in built:
            whole_ids, whole_present = built[whole]["fact_id"], present[whole]
            built[column]["part_of"] = [
                i if p else "" for i, p in zip(whole_ids, whole_present, strict=True)
            ]
        else:
            built[column]["part_of"] = per_row("part_of")
    if len(counts) == 1 and all(present[counts[0]]):
        order_rows: list[int] | None = None  # one figure per row, every row: no reordering
    else:
        masks = [present[c] for c in counts]
        pairs = [(j, k) for k in range(n) for j, mask in enumerate(masks) if mask[k]]
        order_rows = [k for _j, k in pairs]
        order_cols = [j for j, _k in pairs]

    def laid_out(values_by_column: list[list[str]]) -> list[str]:
        if order_rows is None:
            return values_by_column[0]
        return [values_by_column[j][k] for j, k in zip(order_cols, order_rows, strict=True)]

    def rows_of(values: list[T]) -> list[T]:
        return values if order_rows is None else [values[k] for k in order_rows]

    data: dict[str, list[str]] = {}
    for name in names:
        if name in built[counts[0]]:
            data[name] = laid_out([built[c][name] for c in counts])
        elif name in converted:
            data[name] = rows_of(converted[name])
        else:
            data[name] = [constant[name]] * (n if order_rows is None else len(order_rows))
    sources = [c or mapping.columns.get("count") for c in counts]
    fact_lines = rows_of(lines)
    fact_sources = [sources[0]] * n if order_rows is None else [sources[j] for j in order_cols]
    return Mapped(resource.name, names, data, fact_lines, fact_sources)


def _identities(columns: list[list[str]], n: int) -> list[str]:
    """``json.dumps`` of each row's cells (the identity of its figures), column by column."""
    if not columns:
        return ["[]"] * n
    encoded = []
    for values in columns:
        memo = {v: _json_text(v) for v in set(values)}
        encoded.append(list(map(memo.__getitem__, values)))
    join = ", ".join
    return ["[" + join(cells) + "]" for cells in zip(*encoded, strict=True)]


def _complete_ids(data: dict[str, list[str]], resource: Resource) -> None:
    """A slug identifier made from the name when the file has no identifier column."""
    if len(resource.primary_key) != 1:
        return
    key = resource.primary_key[0]
    if resource.field(key).pattern != SLUG:
        return
    label = next((n for n in ("name", "title", "label") if n in data), None)
    if label is None:
        return
    data[key] = [
        ident or (_slug(named) if named else "")
        for ident, named in zip(data[key], data[label], strict=True)
    ]


def _part_notes(table: Table, mapping: Mapping) -> list[Note]:
    """A count column named like a part (« dont enfants ») but mapped as a figure of its own."""
    if mapping.resource != FACTS:
        return []
    notes = []
    previous: str | None = None
    for column in table.columns:
        if column not in mapping.measures:
            continue
        is_part, _group = part_group(column)
        if is_part and column not in mapping.parts and previous is not None:
            notes.append(
                Note(
                    "part_added_to_whole",
                    column=column,
                    value=previous,
                    suggestion=previous,
                    details={"whole": previous},
                )
            )
        if column not in mapping.parts:
            previous = column
    return notes


# --- candidate folder ------------------------------------------------------------------------


@dataclass
class FileDiff:
    """What changes in one file: counts, and the first rows of each kind as examples.

    ``changed_rows`` pairs the old and the new version of a record, with the row
    of the new file it lands on (the report finds the uploaded row from it).
    """

    file: str
    added: int = 0
    changed: int = 0
    removed: int = 0
    added_rows: list[dict[str, str]] = field(default_factory=list)
    changed_rows: list[tuple[int, dict[str, str], dict[str, str]]] = field(default_factory=list)
    removed_rows: list[dict[str, str]] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        """True when nothing changes."""
        return not (self.added or self.changed or self.removed)

    @property
    def touches_existing(self) -> int:
        """How many records that exist now this change modifies or removes."""
        return self.changed + self.removed

    def summary(self) -> dict[str, object]:
        """Counts for the change log."""
        return {
            "file": self.file,
            "added": self.added,
            "changed": self.changed,
            "removed": self.removed,
        }


EXAMPLES = 500


def diff_rows(
    file: str,
    names: Sequence[str],
    key: Sequence[str],
    before: Iterable[Sequence[str]],
    after: Iterable[Sequence[str]],
    examples: int = EXAMPLES,
) -> FileDiff:
    """Compare two versions of a file by primary key (rows in ``names`` order)."""
    positions = [names.index(k) for k in key] if key else list(range(len(names)))
    old: dict[tuple[str, ...], Sequence[str]] = {}
    for row in before:
        old[tuple(row[p] for p in positions)] = row
    diff = FileDiff(file)
    seen: set[tuple[str, ...]] = set()
    for number, row in enumerate(after, start=2):
        ident = tuple(row[p] for p in positions)
        seen.add(ident)
        previous = old.get(ident)
        if previous is None:
            diff.added += 1
            if len(diff.added_rows) < examples:
                diff.added_rows.append(dict(zip(names, row, strict=True)))
        elif list(previous) != list(row):
            diff.changed += 1
            if len(diff.changed_rows) < examples:
                diff.changed_rows.append(
                    (
                        number,
                        dict(zip(names, previous, strict=True)),
                        dict(zip(names, row, strict=True)),
                    )
                )
    for ident, row in old.items():
        if ident not in seen:
            diff.removed += 1
            if len(diff.removed_rows) < examples:
                diff.removed_rows.append(dict(zip(names, row, strict=True)))
    return diff


@dataclass
class Candidate:
    """A complete data folder with the import applied, and where its new rows came from."""

    folder: Path
    files: list[str]  # resource paths the import writes (in ``folder``)
    origin: dict[int, int]  # row of the target file -> spreadsheet row of the upload
    target: str  # path of the target file
    diff: FileDiff | None = None  # the target file compared with the current one


def read_rows(path: Path) -> tuple[list[str], list[dict[str, str]]]:
    """Header and rows of a curated CSV (empty if missing)."""
    if not path.exists():
        return [], []
    with path.open(encoding="utf-8-sig", newline="") as handle:
        reader = csv.DictReader(handle)
        rows = [dict(r) for r in reader]
        return list(reader.fieldnames or []), rows


def read_table(path: Path, names: Sequence[str]) -> list[list[str]]:
    """The rows of a curated CSV as lists in ``names`` order (missing columns empty)."""
    return list(stream_table(path, names)) if path.exists() else []


def known_ids(folder: Path, resource_name: str) -> dict[str, str]:
    """Identifiers of a resource with a readable name (« maroc — Séisme au Maroc »)."""
    resource = contract().resource(resource_name)
    _header, rows = read_rows(folder / resource.path)
    key = resource.primary_key[0]
    label = next((n for n in ("name", "title") if n in resource.field_names), key)
    return {r[key]: f"{r[key]} — {r.get(label) or ''}" for r in rows if r.get(key)}


def csv_bytes(names: Sequence[str], rows: Iterable[Sequence[str]]) -> bytes:
    """A curated CSV: UTF-8, comma, minimal quoting, LF line ends."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(names)
    writer.writerows(rows)
    return buffer.getvalue().encode("utf-8")


def write_csv(path: Path, names: Sequence[str], rows: Iterable[Sequence[str]]) -> None:
    """Write a curated CSV (as :func:`csv_bytes`) straight to ``path``, row by row."""
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(names)
        writer.writerows(rows)


def supplied_fields(mapping: Mapping) -> set[str]:
    """Fields the import gives a value: mapped columns, constants and generated fields."""
    supplied = set(mapping.columns)
    supplied |= {k for k, v in mapping.constants.items() if v.strip()}
    resource = contract().resource(mapping.resource)
    if mapping.resource == FACTS:
        supplied |= {"fact_id", "quote"}
        if mapping.measures:
            supplied |= {"count", "measure"}
        if mapping.groups:
            supplied.add("group")
        if mapping.parts:
            supplied.add("part_of")
    elif len(resource.primary_key) == 1 and any(
        n in mapping.columns for n in ("name", "title", "label")
    ):
        supplied.add(resource.primary_key[0])
    return supplied


def merge(current: Path, mapped: Mapped, mapping: Mapping, workdir: Path) -> Candidate:
    """Copy ``current`` to ``workdir`` with the mapped rows applied to the target file.

    In « upsert » mode a row whose identifier exists replaces that record, but
    the fields the import does not supply (no column, no constant) keep their
    current values: an import of names and countries does not blank a curated
    summary or website.
    """
    resource = contract().resource(mapped.resource)
    if workdir.exists():
        shutil.rmtree(workdir)
    workdir.mkdir(parents=True)
    for item in [DESCRIPTOR, *(r.path for r in contract().resources)]:
        if (current / item).exists():
            shutil.copy2(current / item, workdir / item)
    names = resource.field_names
    appended = _append_new_figures(current, mapped, mapping, workdir)
    if appended is not None:
        return appended
    existing = read_table(current / resource.path, names)
    key = [names.index(k) for k in resource.primary_key]

    def ident(row: Sequence[str]) -> tuple[str, ...]:
        return tuple(row[k] for k in key)

    if mapping.mode == "replace_all":
        kept: list[Sequence[str]] = []
    elif mapping.mode == "replace_source" and "source_id" in names:
        position_source = names.index("source_id")
        sources = set(mapped.data["source_id"])
        kept = [r for r in existing if r[position_source] not in sources]
    else:
        kept = list(existing)
    new_keys: list[Any] = (
        mapped.data[resource.primary_key[0]]
        if len(key) == 1
        else list(zip(*(mapped.data[k] for k in resource.primary_key), strict=True))
    )
    start = len(kept)
    kept_keys: set[Any] = {ident(r) for r in kept}
    if len(key) == 1:
        kept_keys = {k[0] for k in kept_keys}
    fresh = (
        resource.name == FACTS
        and len(set(new_keys)) == len(new_keys)
        and not kept_keys.intersection(new_keys)
    )
    target = workdir / resource.path
    if fresh:  # only new identifiers (the usual import of figures): append them all
        origin, added = _appended(resource, mapped, start)
        write_csv(target, names, itertools.chain(kept, mapped.tuples()))
    else:
        keys = new_keys if len(key) != 1 else [(k,) for k in new_keys]
        origin = _upsert(kept, list(mapped.tuples()), keys, mapped, mapping, key, resource)
        write_csv(target, names, kept)
    if fresh and mapping.mode == "upsert":
        found_diff = added
    else:
        after = itertools.chain(kept, mapped.tuples()) if fresh else kept
        found_diff = diff_rows(resource.path, names, resource.primary_key, existing, after)
    return Candidate(workdir, [resource.path], origin, resource.path, found_diff)


def _append_new_figures(
    current: Path, mapped: Mapped, mapping: Mapping, workdir: Path
) -> Candidate | None:
    """The usual import of figures, at any size: new rows added at the end of a copy.

    When every imported figure has a new identifier (« upsert » of figures whose ids
    the file does not hold), the candidate is the current file, byte for byte, with
    the new rows after it: nothing of the current file is read into Python but its
    identifiers (read by DuckDB), so checking 1 000 new rows against a federation's
    million does not hold the million as Python lists (1.4 GB and 14 s at 1M rows).
    Returns None when that does not apply (another mode or resource, an identifier
    that exists, a file not in the form the app writes): :func:`merge` then rebuilds
    the file. Expects ``workdir`` to hold the copy of ``current`` already.
    """
    resource = contract().resource(mapped.resource)
    if mapping.mode != "upsert" or resource.name != FACTS or len(resource.primary_key) != 1:
        return None
    names = resource.field_names
    source, target = current / resource.path, workdir / resource.path
    if not _appendable(source, names) or not target.exists():
        return None
    column = csv_column(source, names, resource.primary_key[0])
    if column is None or len(set(column)) != len(column):
        return None  # unreadable, or identifiers already repeated: validation says which
    new_keys = set(mapped.data[resource.primary_key[0]])
    if len(new_keys) != len(mapped) or new_keys.intersection(column):
        return None
    with target.open("a", encoding="utf-8", newline="") as handle:
        csv.writer(handle, lineterminator="\n").writerows(mapped.tuples())
    origin, added = _appended(resource, mapped, len(column))
    return Candidate(workdir, [resource.path], origin, resource.path, added)


def _appended(resource: Resource, mapped: Mapped, start: int) -> tuple[dict[int, int], FileDiff]:
    """Rows added after ``start`` current ones: where each came from in the upload (file
    row -> spreadsheet row) and the preview of an import that only adds them."""
    origin = dict(zip(range(start + 2, start + 2 + len(mapped)), mapped.lines, strict=True))
    added = FileDiff(resource.path, added=len(mapped))
    added.added_rows = [mapped.row(i) for i in range(min(EXAMPLES, len(mapped)))]
    return origin, added


def _appendable(path: Path, names: Sequence[str]) -> bool:
    """Whether rows written as the app writes them (:func:`write_csv`) can follow ``path``'s
    own: UTF-8 without a BOM, the contract's columns in order (quoted or not), lines ended
    by a line feed alone, the last one included."""
    try:
        with path.open("rb") as handle:
            line = handle.readline()
            if not line.endswith(b"\n") or line.endswith(b"\r\n") or line.startswith(b"\xef"):
                return False
            header = next(csv.reader([line.decode("utf-8")]), [])
            if header != list(names):
                return False
            size = handle.seek(0, 2)
            handle.seek(size - 1)
            return handle.read(1) == b"\n"
    except (OSError, UnicodeDecodeError, csv.Error):
        return False


def stream_table(path: Path, names: Sequence[str]) -> Iterator[list[str]]:
    """The rows of a curated CSV one at a time, in ``names`` order (:func:`read_table`
    without holding the file in memory)."""
    with path.open(encoding="utf-8-sig", newline="") as handle:
        reader = csv.reader(handle)
        header = next(reader, [])
        where = {n: i for i, n in enumerate(header)}
        picks = [where.get(n) for n in names]
        for row in reader:
            yield [row[p] if p is not None and p < len(row) else "" for p in picks]


def _upsert(
    kept: list[Sequence[str]],
    new_rows: list[tuple[str, ...]],
    new_keys: list[tuple[str, ...]],
    mapped: Mapped,
    mapping: Mapping,
    key: list[int],
    resource: Resource,
) -> dict[int, int]:
    """Apply imported rows to ``kept`` one by one; returns target row -> uploaded row."""
    supplied = [name in supplied_fields(mapping) for name in resource.field_names]
    partial = not all(supplied)
    position = {tuple(r[k] for k in key): i for i, r in enumerate(kept)} if key else {}
    origin: dict[int, int] = {}
    imported: set[tuple[str, ...]] = set()
    seen: dict[tuple[str, ...], Sequence[str]] = {}
    entities = bool(key) and resource.name != FACTS
    for row, row_key, line in zip(new_rows, new_keys, mapped.lines, strict=True):
        if entities and seen.get(row_key) == row:
            continue  # the same entity listed again (a 3W file names an organisation per row)
        found = position.get(row_key) if key and row_key not in imported else None
        imported.add(row_key)
        seen.setdefault(row_key, row)
        if found is not None:
            if partial:
                old = kept[found]
                row = tuple(new if s else o for new, o, s in zip(row, old, supplied, strict=True))
            kept[found] = row
            origin[found + 2] = line
        else:
            kept.append(row)
            origin[len(kept) + 1] = line
            if key:
                position.setdefault(row_key, len(kept) - 1)
    return origin
