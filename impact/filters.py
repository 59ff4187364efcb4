"""The shared filters (years, organisations, themes, countries, groups, programmes).

One immutable value object travels from the sidebar (or a URL, or a report
scope) to every query as bound parameters, so every page and export counts the
same rows. ``to_query``/``from_query`` give the URL form used by shared links.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, fields, replace
from typing import Any

# URL key of each list filter.
LIST_KEYS = {
    "orgs": "org",
    "themes": "theme",
    "countries": "country",
    "groups": "group",
    "programmes": "programme",
}
_TOKEN = re.compile(r"[A-Za-z0-9_-]{1,64}")


@dataclass(frozen=True)
class Filters:
    """A selection of facts; empty means « everything »."""

    year_from: int | None = None
    year_to: int | None = None
    orgs: tuple[str, ...] = ()
    themes: tuple[str, ...] = ()
    countries: tuple[str, ...] = ()
    groups: tuple[str, ...] = ()
    programmes: tuple[str, ...] = ()

    def params(self) -> dict[str, Any]:
        """Bound parameters for the scope macros of ``queries/model``."""
        return {
            "year_from": self.year_from,
            "year_to": self.year_to,
            "orgs": list(self.orgs),
            "themes": list(self.themes),
            "countries": list(self.countries),
            "groups": list(self.groups),
            "programmes": list(self.programmes),
        }

    @classmethod
    def from_params(cls, params: Mapping[str, Any]) -> Filters:
        """The selection whose ``params()`` these are (a cache key's JSON form read back)."""
        lists = {attr: tuple(params.get(attr) or ()) for attr in LIST_KEYS}
        return cls(year_from=params.get("year_from"), year_to=params.get("year_to"), **lists)

    @property
    def is_empty(self) -> bool:
        """True when nothing is filtered."""
        return self == Filters()

    def only(self, **values: str | None) -> Filters:
        """This selection for one item instead of a list filter: a profile's country, a
        programme's map (``only(countries="BEL")``), the same rows the page's queries read."""
        changes: dict[str, Any] = {a: (v,) for a, v in values.items() if v is not None}
        return replace(self, **changes)

    def children_scope(self) -> Filters | None:
        """The same selection restricted to children, or None if the groups exclude them."""
        if self.groups and "children" not in self.groups:
            return None
        return replace(self, groups=("children",))

    def to_query(self) -> dict[str, str]:
        """URL query parameters (only the filters that are set)."""
        query: dict[str, str] = {}
        if self.year_from is not None or self.year_to is not None:
            query["years"] = f"{self.year_from or ''}-{self.year_to or ''}"
        for attr, key in LIST_KEYS.items():
            values = getattr(self, attr)
            if values:
                query[key] = ",".join(values)
        return query

    @classmethod
    def from_query(cls, query: Mapping[str, Any]) -> Filters:
        """Parse URL query parameters; malformed parts are ignored, never executed."""
        values: dict[str, Any] = {}
        years = str(query.get("years") or "")
        match = re.fullmatch(r"(\d{4})?-(\d{4})?", years)
        if match:
            values["year_from"] = int(match[1]) if match[1] else None
            values["year_to"] = int(match[2]) if match[2] else None
        for attr, key in LIST_KEYS.items():
            raw = str(query.get(key) or "")
            tokens = [t for t in raw.split(",") if _TOKEN.fullmatch(t)]
            values[attr] = tuple(dict.fromkeys(tokens))
        return cls(**values)

    def restricted_to(self, known: Mapping[str, set[str]]) -> Filters:
        """Drop values that do not exist in the data (e.g. from an old link)."""
        kept: dict[str, Any] = {
            f.name: tuple(v for v in getattr(self, f.name) if v in known[f.name])
            for f in fields(self)
            if f.name in known
        }
        return replace(self, **kept)
