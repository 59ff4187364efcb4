"""Keep the translation catalogs in step with the code.

    uv run python scripts/i18n.py           # list msgids missing from a catalog
    uv run python scripts/i18n.py --pot     # write locales/messages.pot (for translators)

Strings are extracted with Babel from ``dashboard.py``, ``pages/`` and ``impact/``
(keywords ``_``, ``N_``, ``NP_`` and ``ngettext``), and so are the data contract's titles and
descriptions (``data/datapackage.json``, shown by the Data page's dictionary). Each
language may split its catalog into several ``.po`` files; they are merged at run time.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parent.parent
KEYWORDS = {"_": None, "N_": None, "NP_": (1, 2), "ngettext": (1, 2)}
SOURCES = ("dashboard.py", "pages", "impact")
TRANSLATED = ("fr", "nl")


def extract() -> dict[str, tuple[str, ...]]:
    """msgid -> locations, for every marked string of the code."""
    found: dict[str, list[str]] = {}
    for source in SOURCES:
        path = ROOT / source
        folder = path if path.is_dir() else path.parent
        for filename, lineno, message, _comments, _context in extract_from_dir(
            folder, method_map=[("**.py", "python")], keywords=KEYWORDS
        ):
            if path.is_file() and Path(filename).name != path.name:
                continue
            msgid = message[0] if isinstance(message, tuple) else message
            location = f"{Path(folder, filename).relative_to(ROOT)}:{lineno}"
            found.setdefault(msgid, []).append(location)
    for msgid, location in contract_texts():
        found.setdefault(msgid, []).append(location)
    return {k: tuple(v) for k, v in found.items()}


def contract_texts() -> list[tuple[str, str]]:
    """The data contract's titles and descriptions, which the Data page's dictionary shows.

    They are English in ``data/datapackage.json`` (the contract stays one file for
    every tool that reads it) and translated like the app's own strings.
    """
    package = json.loads((ROOT / "data" / "datapackage.json").read_text(encoding="utf-8"))
    texts = []
    for index, resource in enumerate(package["resources"]):
        where = f"data/datapackage.json:{index + 1}"
        texts += [(resource[k], where) for k in ("title", "description") if resource.get(k)]
        for fld in resource["schema"]["fields"]:
            if fld.get("description"):
                texts.append((fld["description"], where))
    return texts


def translations(lang: str) -> dict[str, str]:
    """msgid -> msgstr over all ``.po`` files of ``lang`` (plural: first form)."""
    merged: dict[str, str] = {}
    for po_path in sorted((ROOT / "locales" / lang / "LC_MESSAGES").glob("*.po")):
        with po_path.open("rb") as handle:
            catalog = read_po(handle, locale=lang)
        for message in catalog:
            if not message.id:
                continue
            msgid = str(message.id[0] if isinstance(message.id, (tuple, list)) else message.id)
            string = message.string
            msgstr = str(string[0] if isinstance(string, (tuple, list)) else string or "")
            if msgstr and not message.fuzzy:
                merged[msgid] = msgstr
    return merged


def missing(lang: str) -> list[str]:
    """msgids of the code with no translation in ``lang``."""
    done = translations(lang)
    return sorted(m for m in extract() if m not in done)


def main() -> int:
    """Print missing translations (exit 1 if any) or write the template."""
    if "--pot" in sys.argv:
        catalog = Catalog(project="impact-dashboard")
        for msgid, locations in extract().items():
            catalog.add(
                msgid,
                locations=[
                    (loc.rsplit(":", 1)[0], int(loc.rsplit(":", 1)[1])) for loc in locations
                ],
            )
        with (ROOT / "locales" / "messages.pot").open("wb") as handle:
            write_po(handle, catalog, sort_output=True)
        return 0
    status = 0
    for lang in TRANSLATED:
        for msgid in missing(lang):
            print(f"{lang}: {msgid!r}")
            status = 1
    return status


if __name__ == "__main__":
    sys.exit(main())
