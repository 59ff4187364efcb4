"""The data contract, read from ``datapackage.json`` (Frictionless Table Schema).

The JSON file is the single description of the data: validation, loading, the
data dictionary page and the test fixtures all derive from it, so a column or
vocabulary is declared once, next to the data.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from impact.paths import BUNDLED_DATA_DIR

DESCRIPTOR = "datapackage.json"

# Frictionless type -> DuckDB type used once a column has been validated.
DUCKDB_TYPES = {
    "string": "VARCHAR",
    "integer": "BIGINT",
    "number": "DOUBLE",
    "boolean": "BOOLEAN",
    "date": "DATE",
}


@dataclass(frozen=True)
class Field:
    """One column of a resource with its Table Schema constraints."""

    name: str
    type: str
    description: str = ""
    required: bool = False
    enum: tuple[str, ...] = ()
    pattern: str | None = None
    minimum: float | None = None
    maximum: float | None = None

    @property
    def duckdb_type(self) -> str:
        """DuckDB type of the column once loaded."""
        return DUCKDB_TYPES[self.type]


@dataclass(frozen=True)
class ForeignKey:
    """A column whose values must exist in another resource's key column."""

    field: str
    resource: str
    reference_field: str


@dataclass(frozen=True)
class Resource:
    """One CSV file of the data package."""

    name: str
    path: str
    title: str
    description: str
    fields: tuple[Field, ...]
    primary_key: tuple[str, ...]
    foreign_keys: tuple[ForeignKey, ...] = field(default=())

    @property
    def field_names(self) -> list[str]:
        """Column names in schema order."""
        return [f.name for f in self.fields]

    def field(self, name: str) -> Field:
        """Return the field called ``name``."""
        return next(f for f in self.fields if f.name == name)


def _field(raw: dict[str, Any]) -> Field:
    constraints = raw.get("constraints", {})
    return Field(
        name=raw["name"],
        type=raw.get("type", "string"),
        description=raw.get("description", ""),
        required=bool(constraints.get("required", False)),
        enum=tuple(constraints.get("enum", ())),
        pattern=constraints.get("pattern"),
        minimum=constraints.get("minimum"),
        maximum=constraints.get("maximum"),
    )


def _resource(raw: dict[str, Any]) -> Resource:
    schema = raw["schema"]
    primary_key = schema.get("primaryKey", [])
    if isinstance(primary_key, str):
        primary_key = [primary_key]
    fks = []
    for fk in schema.get("foreignKeys", []):
        fields = fk["fields"] if isinstance(fk["fields"], list) else [fk["fields"]]
        ref = fk["reference"]
        ref_fields = ref["fields"] if isinstance(ref["fields"], list) else [ref["fields"]]
        resource = ref.get("resource") or raw["name"]
        for own, other in zip(fields, ref_fields, strict=True):
            fks.append(ForeignKey(own, resource, other))
    return Resource(
        name=raw["name"],
        path=raw["path"],
        title=raw.get("title", raw["name"]),
        description=raw.get("description", ""),
        fields=tuple(_field(f) for f in schema["fields"]),
        primary_key=tuple(primary_key),
        foreign_keys=tuple(fks),
    )


@dataclass(frozen=True)
class Package:
    """The whole data contract: resources in dependency order."""

    resources: tuple[Resource, ...]

    def resource(self, name: str) -> Resource:
        """Return the resource called ``name``."""
        return next(r for r in self.resources if r.name == name)

    def enum(self, resource: str, field_name: str) -> tuple[str, ...]:
        """Controlled vocabulary of one column."""
        return self.resource(resource).field(field_name).enum


def load_package(descriptor: Path) -> Package:
    """Read a ``datapackage.json``."""
    raw = json.loads(descriptor.read_text(encoding="utf-8"))
    return Package(tuple(_resource(r) for r in raw["resources"]))


@cache
def contract() -> Package:
    """The project's data contract, always the bundled descriptor.

    A data folder elsewhere (tests, benchmarks, imports) is checked against the
    bundled contract, so a broken or missing descriptor in that folder cannot
    weaken the rules.
    """
    return load_package(BUNDLED_DATA_DIR / DESCRIPTOR)
