"""Map the columns of a received file to the data contract, and build the candidate data.

A :class:`Mapping` says, for one target resource of ``datapackage.json``, which
file column feeds each field, which fields take a constant (programme, source,
year…) and, for figures, which columns hold counts and of what measure
(a 3W file with ``#reached`` and ``#targeted`` columns gives two facts per row).

:func:`propose` guesses a mapping from HXL tags first (``#country+code``,
``#date+year``, ``#reached``…), then from column names in English, French and
Dutch. A mapping the curator confirmed is remembered by the shape of the file
(its column names and tags), so the next export of the same spreadsheet is
mapped the same way. Mappings are JSON files in ``<data folder>/.store/mappings/``,
next to the versions they produced and outside any one version, so an undo does
not forget them.

:func:`apply_mapping` turns the table into contract rows (numbers re-written
with a decimal point, country names turned into ISO codes, dates into years)
and remembers the spreadsheet row each one came from; :func:`merge` writes a
complete candidate data folder that :mod:`impact.curation.report` validates
with the real contract checks before anything is written for good.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import re
import shutil
import unicodedata
from dataclasses import asdict, dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from impact.curation.reading import Table, format_number, is_missing, parse_number
from impact.i18n import N_
from impact.schema import DESCRIPTOR, Resource, contract

FACTS = "beneficiaries"
SLUG = "^[a-z0-9][a-z0-9_-]*$"
MODES = {
    "upsert": N_("Add new rows and update rows with the same identifier"),
    "replace_source": N_("Replace every row of the same source"),
    "replace_all": N_("Replace the whole file"),
}

# Field -> HXL tag prefixes that fill it (first match wins).
HXL_FIELDS: dict[str, tuple[str, ...]] = {
    "country_iso3": ("#country+code", "#adm0+code", "#country+iso3", "#country", "#adm0+name"),
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
HXL_MEASURES = {"#reached": "reached", "#targeted": "targeted", "#target": "targeted"}
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
}
NAME_MEASURES = {
    "reached": ("reached", "atteints", "beneficiaires", "bereikt", "personnes atteintes"),
    "targeted": ("targeted", "target", "cible", "cibles", "beoogd", "doel"),
}
DEFAULTS = {"unit": "persons", "group": "all", "qualifier": "exact", "year_basis": "stated"}
# Codes of humanitarian files (HNO, UNHCR) for values of the vocabularies.
CODES: dict[str, dict[str, str]] = {
    "group": {"ref": "refugees", "asy": "asylum_seekers", "mig": "migrants", "refugee": "refugees"},
    "kind": {"international ngo": "international_ngo", "ingo": "international_ngo"},
}
TRUE = {"true", "yes", "oui", "ja", "y", "1", "vrai", "waar"}
FALSE = {"false", "no", "non", "nee", "n", "0", "faux", "onwaar"}
_YEAR = re.compile(r"(?<![0-9])(19[0-9]{2}|20[0-9]{2}|2100)(?![0-9])")
_PAIR = re.compile(r"\[?\s*(-?[0-9]+(?:\.[0-9]+)?)\s*[,;]\s*(-?[0-9]+(?:\.[0-9]+)?)\s*\]?")
_DMY = re.compile(r"([0-9]{1,2})[/.-]([0-9]{1,2})[/.-]([0-9]{4})")


@dataclass
class Mapping:
    """How a file's columns become rows of one resource of the contract."""

    resource: str = FACTS
    columns: dict[str, str] = field(default_factory=dict)  # field -> file column
    constants: dict[str, str] = field(default_factory=dict)  # field -> value
    measures: dict[str, str] = field(default_factory=dict)  # count column -> measure
    decimal: str = "."
    mode: str = "upsert"

    def to_json(self) -> str:
        """The mapping as JSON (what is remembered)."""
        return json.dumps(asdict(self), ensure_ascii=False, indent=2, sort_keys=True)

    @classmethod
    def from_json(cls, text: str) -> Mapping:
        """Read a remembered mapping; unknown keys are ignored."""
        raw = json.loads(text)
        known = {k: raw[k] for k in ("resource", "columns", "constants", "measures", "decimal")}
        mapping = cls(**known)
        mapping.mode = str(raw.get("mode", "upsert"))
        return mapping


@dataclass
class Mapped:
    """Contract rows built from a file, each with the spreadsheet row it came from."""

    resource: str
    rows: list[dict[str, str]]
    lines: list[int]
    count_columns: list[str | None]


def _plain(text: str) -> str:
    """Lower-case, without accents or punctuation: « Année » -> « annee »."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    letters = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(re.sub(r"[^a-z0-9]+", " ", letters).split())


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
    """The resource whose field names the header matches best (figures by default)."""
    header = {_plain(c) for c in table.columns}
    best, score = FACTS, 0.0
    for resource in contract().resources:
        names = {_plain(n) for n in resource.field_names}
        overlap = len(header & names) / len(names)
        if overlap > score and overlap >= 0.6:
            best, score = resource.name, overlap
    return best


def _tag_matches(tag: str, prefix: str) -> bool:
    if not tag:
        return False
    parts, wanted = tag.split("+"), prefix.split("+")
    return parts[0] == wanted[0] and set(wanted[1:]) <= set(parts[1:])


def propose(table: Table, resource_name: str | None = None) -> Mapping:
    """A first mapping from HXL tags and column names; the curator corrects it."""
    name = resource_name or guess_resource(table)
    resource = contract().resource(name)
    mapping = Mapping(resource=name, decimal=table.decimal)
    tags = table.hxl or [""] * len(table.columns)
    plain = [_plain(c) for c in table.columns]
    taken: set[str] = set()
    for fld in resource.fields:
        column = None
        if _plain(fld.name) in plain:
            column = table.columns[plain.index(_plain(fld.name))]
        for prefix in HXL_FIELDS.get(fld.name, ()) if column is None else ():
            column = next(
                (c for c, t in zip(table.columns, tags, strict=True) if _tag_matches(t, prefix)),
                None,
            )
            if column:
                break
        if column is None:
            synonyms = NAME_FIELDS.get(fld.name, ())
            column = next(
                (c for c, p in zip(table.columns, plain, strict=True) if p in synonyms), None
            )
        if column and column not in taken:
            mapping.columns[fld.name] = column
            taken.add(column)
    if name == FACTS and "count" not in mapping.columns:
        for column, tag, text in zip(table.columns, tags, plain, strict=True):
            measure = next((m for t, m in HXL_MEASURES.items() if _tag_matches(tag, t)), None)
            if measure is None and not tag:
                measure = next((m for m, names in NAME_MEASURES.items() if text in names), None)
            if measure and column not in taken:
                mapping.measures[column] = measure
                taken.add(column)
    if name == FACTS:
        for default, value in DEFAULTS.items():
            if default not in mapping.columns:
                mapping.constants[default] = value
        if "measure" not in mapping.columns and not mapping.measures:
            mapping.constants["measure"] = "reached"
    return mapping


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
    fld = resource.field(field_name)
    if is_missing(value, numeric=fld.type != "string"):
        return ""
    text = " ".join(value.split())
    if fld.type in {"integer", "number"}:
        if fld.type == "integer" and field_name.endswith("year") and not _looks_plain(text):
            found = _YEAR.search(text)
            return found.group(1) if found else text
        pair = _PAIR.fullmatch(text)
        if pair and field_name in {"lat", "lon"}:  # one « lat,lon » column mapped to both
            return pair.group(1) if field_name == "lat" else pair.group(2)
        number = parse_number(text, ctx["decimal"])
        return format_number(number) if number is not None else text
    if fld.type == "boolean":
        folded = text.casefold()
        return "true" if folded in TRUE else "false" if folded in FALSE else text
    if fld.type == "date":
        found = _DMY.fullmatch(text)
        if found:
            day, month, year = found.groups()
            return f"{year}-{int(month):02d}-{int(day):02d}"
        return text[:10] if re.match(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", text) else text
    if fld.enum:
        return enum_lookup(resource.name, field_name).get(_plain(text), text)
    if fld.pattern == "^[A-Z]{3}$":
        return str(ctx["countries"].get(_plain(text), text.upper() if len(text) == 3 else text))
    return text


def _looks_plain(text: str) -> bool:
    return bool(re.fullmatch(r"[0-9]+", text))


@cache
def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", _plain(text)).strip("-")[:40] or "import"


def apply_mapping(table: Table, mapping: Mapping, folder: Path) -> Mapped:
    """Contract rows for every data row (and every count column) of the file."""
    resource = contract().resource(mapping.resource)
    ctx: dict[str, Any] = {"decimal": mapping.decimal, "countries": country_lookup(folder)}
    index = {c: i for i, c in enumerate(table.columns)}
    counts: list[tuple[str | None, str | None]] = (
        list(mapping.measures.items()) if mapping.measures else [(None, None)]
    )
    # Constants are converted once; cells through a memo (a file repeats its values).
    fixed = {
        name: convert(mapping.constants[name], resource, name, ctx)
        if name in mapping.constants
        else ""
        for name in resource.field_names
        if not (name in mapping.columns and mapping.columns[name] in index)
    }
    mapped: list[tuple[str, int, dict[str, str]]] = [
        (name, index[mapping.columns[name]], {})
        for name in resource.field_names
        if name in mapping.columns and mapping.columns[name] in index
    ]
    count_memo: dict[str, str] = {}
    skip = set(mapping.measures)
    identity = [i for c, i in index.items() if c not in skip and c != mapping.columns.get("count")]
    rows: list[dict[str, str]] = []
    lines: list[int] = []
    sources: list[str | None] = []
    for cells, line in zip(table.rows, table.lines, strict=True):
        base = dict(fixed)
        for name, position, memo in mapped:
            raw = cells[position]
            if raw not in memo:
                memo[raw] = convert(raw, resource, name, ctx)
            base[name] = memo[raw]
        for column, measure in counts:
            row = dict(base)
            if column is not None:
                raw = cells[index[column]]
                if is_missing(raw):
                    continue
                if raw not in count_memo:
                    count_memo[raw] = convert(raw, resource, "count", ctx)
                row["count"] = count_memo[raw]
                row["measure"] = measure or row.get("measure", "")
            if resource.name == FACTS:
                _complete_fact(row, table, line, column, [cells[i] for i in identity])
            else:
                _complete_id(row, resource)
            rows.append(row)
            lines.append(line)
            sources.append(column or mapping.columns.get("count"))
    return Mapped(resource.name, rows, lines, sources)


def _complete_id(row: dict[str, str], resource: Resource) -> None:
    """A slug identifier made from the name when the file has no identifier column."""
    if len(resource.primary_key) != 1:
        return
    key = resource.primary_key[0]
    named = next((row[n] for n in ("name", "title", "label") if row.get(n)), "")
    if not row.get(key) and named and resource.field(key).pattern == SLUG:
        row[key] = _slug(named)


def _complete_fact(
    row: dict[str, str], table: Table, line: int, column: str | None, identity: list[str]
) -> None:
    """Identifier, quote and note a figure needs when the file does not give them."""
    if not row.get("fact_id"):
        digest = hashlib.sha256(
            json.dumps([row.get("programme_id"), row.get("measure"), column, identity]).encode()
        ).hexdigest()[:10]
        row["fact_id"] = f"{_slug(row.get('programme_id') or 'import')}-{row['measure']}-{digest}"
    if not row.get("quote"):
        where = f"{table.name}, row {line}"
        row["quote"] = f"{where}: {column or 'count'} = {row.get('count', '')}"


# --- candidate folder ------------------------------------------------------------------------


@dataclass
class Candidate:
    """A complete data folder with the import applied, and where its new rows came from."""

    folder: Path
    files: dict[str, bytes]  # resource path -> new content (only the files that change)
    origin: dict[int, int]  # row of the target file -> spreadsheet row of the upload
    target: str  # path of the target file


def read_rows(path: Path) -> tuple[list[str], list[dict[str, str]]]:
    """Header and rows of a curated CSV (empty if missing)."""
    if not path.exists():
        return [], []
    with path.open(encoding="utf-8-sig", newline="") as handle:
        reader = csv.DictReader(handle)
        rows = [dict(r) for r in reader]
        return list(reader.fieldnames or []), rows


def known_ids(folder: Path, resource_name: str) -> dict[str, str]:
    """Identifiers of a resource with a readable name (« maroc — Séisme au Maroc »)."""
    resource = contract().resource(resource_name)
    _header, rows = read_rows(folder / resource.path)
    key = resource.primary_key[0]
    label = next((n for n in ("name", "title") if n in resource.field_names), key)
    return {r[key]: f"{r[key]} — {r.get(label) or ''}" for r in rows if r.get(key)}


def csv_bytes(names: list[str], rows: list[dict[str, str]]) -> bytes:
    """A curated CSV: UTF-8, comma, minimal quoting, LF line ends."""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=names, lineterminator="\n", extrasaction="ignore")
    writer.writeheader()
    for row in rows:
        writer.writerow({n: row.get(n, "") or "" for n in names})
    return buffer.getvalue().encode("utf-8")


def merge(current: Path, mapped: Mapped, mapping: Mapping, workdir: Path) -> Candidate:
    """Copy ``current`` to ``workdir`` with the mapped rows applied to the target file."""
    resource = contract().resource(mapped.resource)
    if workdir.exists():
        shutil.rmtree(workdir)
    workdir.mkdir(parents=True)
    for item in [DESCRIPTOR, *(r.path for r in contract().resources)]:
        if (current / item).exists():
            shutil.copy2(current / item, workdir / item)
    _header, existing = read_rows(current / resource.path)
    key = resource.primary_key

    def ident(row: dict[str, str]) -> tuple[str, ...]:
        return tuple(row.get(k, "") for k in key)

    if mapping.mode == "replace_all":
        kept: list[dict[str, str]] = []
    elif mapping.mode == "replace_source" and "source_id" in resource.field_names:
        sources = {r.get("source_id") for r in mapped.rows}
        kept = [r for r in existing if r.get("source_id") not in sources]
    else:
        kept = list(existing)
    position = {ident(r): i for i, r in enumerate(kept)} if key else {}
    origin: dict[int, int] = {}
    imported: set[tuple[str, ...]] = set()
    seen: dict[tuple[str, ...], dict[str, str]] = {}
    for row, line in zip(mapped.rows, mapped.lines, strict=True):
        if key and resource.name != FACTS and seen.get(ident(row)) == row:
            continue  # the same entity listed again (a 3W file names an organisation per row)
        found = position.get(ident(row)) if key and ident(row) not in imported else None
        imported.add(ident(row))
        seen.setdefault(ident(row), row)
        if found is not None:
            kept[found] = row
            origin[found + 2] = line
        else:
            kept.append(row)
            origin[len(kept) + 1] = line
            if key:
                position.setdefault(ident(row), len(kept) - 1)
    content = csv_bytes(resource.field_names, kept)
    (workdir / resource.path).write_bytes(content)
    return Candidate(workdir, {resource.path: content}, origin, resource.path)
