"""Every UI string is translated; numbers follow the reader's locale."""

from __future__ import annotations

import ast
import importlib.util
import re
from datetime import date
from typing import Any

import numpy as np
import pytest
from babel.messages.pofile import read_po
from babel.numbers import format_decimal
from hypothesis import given
from hypothesis import strategies as hs

from impact.i18n import Translator, catalog
from impact.paths import ROOT
from impact.schema import contract
from impact.vocab import LABELS, VOCAB_COLUMNS


def _i18n_script() -> Any:
    spec = importlib.util.spec_from_file_location("i18n_script", ROOT / "scripts" / "i18n.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize("lang", ["fr", "nl"])
def test_every_ui_string_has_a_translation(lang: str) -> None:
    script = _i18n_script()
    assert len(script.extract()) > 100
    assert script.missing(lang) == []


@pytest.mark.parametrize("lang", ["fr", "nl"])
def test_translations_keep_their_placeholders(lang: str) -> None:
    import re

    script = _i18n_script()
    for msgid, msgstr in script.translations(lang).items():
        assert set(re.findall(r"\{\w+\}", msgid)) == set(re.findall(r"\{\w+\}", msgstr)), msgid


def test_french_typography_in_the_catalogs() -> None:
    """No-break spaces before « : ; ! ? » and inside « » (« Sélection : … »), never a plain one."""
    import re

    script = _i18n_script()
    for msgid, msgstr in script.translations("fr").items():
        assert not re.search(r" [:;!?»%]|« ", msgstr), (msgid, msgstr)


def test_every_vocabulary_value_has_a_label() -> None:
    for vocabulary, (resource, column) in VOCAB_COLUMNS.items():
        allowed = set(contract().enum(resource, column))
        assert allowed <= set(LABELS[vocabulary]), (vocabulary, allowed - set(LABELS[vocabulary]))


@pytest.mark.parametrize(
    ("lang", "expected"),
    [("fr", "10\u202f378"), ("nl", "10.378"), ("en", "10,378")],
)
def test_numbers_follow_the_locale(lang: str, expected: str) -> None:
    assert Translator(lang).number(10378) == expected


@given(
    hs.one_of(
        hs.integers(min_value=-(10**15), max_value=10**15),
        hs.floats(min_value=-1e12, max_value=1e12, allow_nan=False),
    ),
    hs.sampled_from([None, 0, 1, 2]),
)
def test_remembered_numbers_are_what_babel_writes_in_each_language(
    value: float, decimals: int | None
) -> None:
    """``Translator.number`` parses its pattern once and remembers what it wrote (a map
    writes thousands of numbers per run): the text must stay Babel's, language by
    language, whatever was written before in another one."""
    places = decimals if decimals is not None else (0 if float(value).is_integer() else 1)
    pattern = "#,##0" + ("." + "0" * places if places else "")
    for lang, locale in (("fr", "fr_BE"), ("nl", "nl_BE"), ("en", "en_GB"), ("fr", "fr_BE")):
        expected = format_decimal(value, format=pattern, locale=locale)
        assert Translator(lang).number(value, decimals) == expected
        assert Translator(lang).number(np.float64(value), decimals) == expected


def test_decimals_and_percent() -> None:
    assert Translator("fr").number(68.3) == "68,3"
    assert Translator("fr").percent(35) == "35\u202f%"
    assert Translator("en").percent(35) == "35%"
    assert Translator("nl").percent(68.3) == "68,3%"


def test_dates_follow_the_locale() -> None:
    assert Translator("fr").date(date(2024, 6, 20)) == "20 juin 2024"
    assert Translator("nl").date(date(2024, 6, 20)) == "20 juni 2024"


def test_catalogs_translate() -> None:
    assert catalog("fr").gettext("Overview") == "Vue d'ensemble"
    assert catalog("nl").gettext("Overview") == "Overzicht"
    assert Translator("en")._("Overview") == "Overview"


@pytest.mark.parametrize("lang", ["fr", "nl"])
def test_every_message_of_every_file_reads_from_the_merged_catalog(lang: str) -> None:
    """The files of a language are merged into one catalog: each message reads as in the
    first file (in name order) that translates it, plural forms included."""
    folder = ROOT / "locales" / lang / "LC_MESSAGES"
    first: dict[Any, Any] = {}
    for path in sorted(folder.glob("*.po")):
        with path.open("rb") as handle:
            for message in read_po(handle, locale=lang):
                strings = message.string if isinstance(message.string, tuple) else (message.string,)
                if message.id and not message.fuzzy and all(strings):
                    first.setdefault(message.id, message.string)
    merged = catalog(lang)
    assert len(first) > 600
    for msgid, string in first.items():
        if isinstance(msgid, tuple):
            forms = [merged.ngettext(msgid[0], msgid[1], n) for n in (1, 2)]
            assert forms == list(string), msgid
        else:
            assert merged.gettext(msgid) == string, msgid


def test_quotation_marks_follow_the_language() -> None:
    message = "the whole « {whole} » is itself a part; name the top-level whole"
    assert "“x”" in Translator("en")._(message, whole="x")
    assert "«" not in Translator("nl")._(message, whole="x")
    assert "“x”" in Translator("nl")._(message, whole="x")
    assert "«\u00a0x\u00a0»" in Translator("fr")._(message, whole="x")
    assert Translator("fr").quote("10.378 personnes") == "«\u00a010.378 personnes\u00a0»"
    assert Translator("en").quote("10.378 personnes") == "“10.378 personnes”"


def test_every_list_to_pick_from_has_a_placeholder_in_the_readers_language() -> None:
    """Streamlit's own placeholders are English (« Choose options », « Choose an option »):
    the import's « Columns holding figures » said « Choose options » in Dutch. Every
    multiselect, and every selectbox that starts empty (``index=None``), gives its own."""
    missing = []
    for path in [*(ROOT / "impact" / "ui").rglob("*.py"), *(ROOT / "pages").glob("*.py")]:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)):
                continue
            words = {k.arg: k.value for k in node.keywords}
            index = words.get("index")
            starts_empty = isinstance(index, ast.Constant) and index.value is None
            picks = node.func.attr == "multiselect" or (
                node.func.attr == "selectbox" and starts_empty
            )
            if picks and "placeholder" not in words:
                missing.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    assert missing == []


@pytest.mark.parametrize("lang", ["fr", "nl", "en"])
def test_the_method_text_names_no_code_path(lang: str) -> None:
    """« How we count » is reproduced in the donor's PDF: « dans le modèle de comptage
    (`queries/model/`) » was a path in our code that no donor can follow."""
    from impact import method

    text = method.text(lang)
    assert not re.search(r"`|queries/|\w\.(?:py|sql)\b", text), text
