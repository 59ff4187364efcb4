"""Mapping, validation report, preview and undo of an import, on hand-made data folders."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from impact.curation import auth, mapping, reading, workflow
from impact.curation.store import ConflictError, NothingToUndoError, Store
from impact.db import Database
from impact.i18n import Translator
from impact.method import french_typography
from impact.paths import current_version
from impact.schema import contract
from impact.validation import validate_folder
from tests.factory import make_data

FR = Translator("fr")
PARTNERS = (
    "Rapport des partenaires;;;\n"
    "Pays;Année;Atteints;Cible\n"
    "#country+name;#date+year;#reached;#targeted\n"
    "Maroc;2024;1.234;2.000\n"
    "Sénégal;2023;12;NA\n"
)


def read(text: str, name: str = "partenaires.csv", encoding: str = "cp1252") -> reading.Table:
    return reading.read_bytes(text.encode(encoding), name)


def facts_mapping(table: reading.Table) -> mapping.Mapping:
    proposal = mapping.propose(table)
    proposal.constants.update(programme_id="maroc", source_id="src")
    return proposal


def test_proposal_from_hxl_tags(tmp_path: Path) -> None:
    proposal = mapping.propose(read(PARTNERS))
    assert proposal.resource == "beneficiaries"
    assert proposal.columns == {"country_iso3": "Pays", "year": "Année"}
    assert proposal.measures == {"Atteints": "reached", "Cible": "targeted"}
    assert proposal.decimal == ","
    assert proposal.constants["unit"] == "persons"


def test_proposal_from_names_without_hxl() -> None:
    table = read("pays,annee,nombre\nBelgique,2024,12\n")
    proposal = mapping.propose(table)
    assert proposal.columns == {"country_iso3": "pays", "year": "annee", "count": "nombre"}


def test_a_file_of_the_contract_maps_to_itself(data_dir: Path) -> None:
    table = reading.read_bytes((data_dir / "countries.csv").read_bytes(), "countries.csv")
    proposal = mapping.propose(table)
    assert proposal.resource == "countries"
    assert proposal.columns == {c: c for c in table.columns}


def test_mapping_is_remembered_for_the_same_shape(tmp_path: Path) -> None:
    table = read(PARTNERS)
    chosen = facts_mapping(table)
    assert mapping.recall(tmp_path, table) is None
    mapping.remember(tmp_path, table, chosen)
    again = read(PARTNERS.replace("1.234", "99"), "other-name.csv")
    assert mapping.recall(tmp_path, again) == chosen
    assert mapping.recall(tmp_path, read("x;y\n1;2\n")) is None


def test_generated_ids_stay_what_earlier_versions_made(data_dir: Path) -> None:
    """A figure's id is the hash of its programme, measure, count column and the row's
    other cells: the same file imported again updates its figures, never duplicates them,
    whatever version of the app made them first. Pinned here the way it was defined."""
    table = read('Pays;Année;Atteints;Note\nSénégal;2023;12;« Écoles » "A"\n')
    mapped = mapping.apply_mapping(table, facts_mapping(table), data_dir)
    cells = ["Sénégal", "2023", '« Écoles » "A"']
    identity = json.dumps(["maroc", "reached", "Atteints", cells])  # ASCII, ", " between
    expected = "maroc-reached-" + hashlib.sha256(identity.encode()).hexdigest()[:10]
    assert mapped.data["fact_id"] == [expected]


def test_mapped_rows_are_converted_and_traced(data_dir: Path) -> None:
    table = read(PARTNERS)
    mapped = mapping.apply_mapping(table, facts_mapping(table), data_dir)
    assert [(r["country_iso3"], r["year"], r["measure"], r["count"]) for r in mapped.rows] == [
        ("MAR", "2024", "reached", "1234"),
        ("MAR", "2024", "targeted", "2000"),
        ("SEN", "2023", "reached", "12"),
    ]
    assert mapped.lines == [4, 4, 5]
    assert mapped.rows[0]["quote"] == "partenaires.csv, row 4: Atteints = 1234"
    again = mapping.apply_mapping(table, facts_mapping(table), data_dir)
    assert [r["fact_id"] for r in again.rows] == [r["fact_id"] for r in mapped.rows]


def test_valid_import_previews_and_writes(data_dir: Path) -> None:
    table = read(PARTNERS)
    checked = workflow.check(data_dir, table, facts_mapping(table))
    assert checked.report.ok, [f.message(FR) for f in checked.report.findings]
    assert [d.summary() for d in checked.changes] == [
        {"file": "beneficiaries.csv", "added": 3, "changed": 0, "removed": 0}
    ]
    figures = workflow.figures(checked, FR)
    persons = figures.iloc[0].tolist()
    assert persons == ["Personnes atteintes", "14\u202f153", "15\u202f399", "+1\u202f246"]
    version = workflow.write(data_dir, checked, "Test")
    assert current_version(data_dir) == version.folder
    assert validate_folder(version.folder).ok
    db = Database.open(current_version(data_dir))
    try:
        assert db.query("reach_total", {**_all(), "unit": "persons", "measure": "reached"}).iloc[0][
            "total"
        ] == pytest.approx(15399)
    finally:
        db.close()
    assert mapping.recall(data_dir, table) == checked.mapping


def test_new_figures_are_added_after_the_current_file_kept_byte_for_byte(
    data_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The usual import (new figures) leaves every current row as it is, byte for byte, and
    gives the file a full rewrite would give, without reading the current rows into lists
    (1.4 GB at a million figures); the report traces rows to the spreadsheet."""
    names = contract().resource("beneficiaries").field_names
    path = data_dir / "beneficiaries.csv"
    mapping.write_csv(path, names, mapping.read_table(path, names))  # as the app writes it
    current = path.read_bytes()
    table = read(PARTNERS.replace("Sénégal;2023;12;NA", "Sénégal;2023;12;NA\nXX;2023;5;NA"))
    chosen = facts_mapping(table)
    with monkeypatch.context() as patched:
        patched.setattr(mapping, "read_table", None)  # any use of it would fail the check
        checked = workflow.check(data_dir, table, chosen)
    written = (checked.candidate.folder / "beneficiaries.csv").read_bytes()
    assert written.startswith(current) and written.count(b"\n") == current.count(b"\n") + 4
    mapped = mapping.apply_mapping(table, chosen, data_dir)
    whole = [*mapping.read_table(data_dir / "beneficiaries.csv", names), *mapped.tuples()]
    mapping.write_csv(tmp_path / "rewritten.csv", names, whole)
    assert written == (tmp_path / "rewritten.csv").read_bytes()
    assert [(f.rule, f.source_row) for f in checked.report.errors] == [("unknown_country", 6)]
    assert [d.summary() for d in checked.changes] == [
        {"file": "beneficiaries.csv", "added": 4, "changed": 0, "removed": 0}
    ]


def test_a_current_file_in_another_form_is_rewritten_with_the_new_figures(
    data_dir: Path,
) -> None:
    """A file saved by another program (here CRLF line ends) cannot take rows at its end as
    is: the import rewrites it in the app's form, with the same rows and the new figures."""
    path = data_dir / "beneficiaries.csv"
    assert b"\r\n" in path.read_bytes()  # tests.factory writes as Python's csv does
    rows = path.read_bytes().count(b"\n") - 1
    table = read(PARTNERS)
    checked = workflow.check(data_dir, table, facts_mapping(table))
    assert checked.report.ok, [f.message(FR) for f in checked.report.findings]
    written = (checked.candidate.folder / "beneficiaries.csv").read_bytes()
    assert b"\r" not in written and written.count(b"\n") == 1 + rows + 3
    assert [d.summary() for d in checked.changes] == [
        {"file": "beneficiaries.csv", "added": 3, "changed": 0, "removed": 0}
    ]


def _all() -> dict[str, object]:
    from impact.filters import Filters

    return Filters().params()


def test_preview_counts_changed_and_removed_rows(data_dir: Path) -> None:
    table = read(PARTNERS)
    chosen = facts_mapping(table)
    workflow.write(data_dir, workflow.check(data_dir, table, chosen), "Test")
    corrected = read(PARTNERS.replace("1.234", "1.300").replace("Sénégal;2023;12;NA\n", ""))
    chosen.mode = "replace_source"
    checked = workflow.check(data_dir, corrected, chosen)
    assert [d.summary() for d in checked.changes] == [
        {"file": "beneficiaries.csv", "added": 0, "changed": 1, "removed": 8}
    ]
    chosen.mode = "upsert"
    checked = workflow.check(data_dir, corrected, chosen)
    [change] = checked.changes
    assert (change.added, change.changed, change.removed) == (0, 1, 0)
    _row, old, new = change.changed_rows[0]
    assert (old["count"], new["count"]) == ("1234", "1300")


def test_report_names_rule_row_and_column(data_dir: Path) -> None:
    text = (
        "Pays;Année;Groupe;Atteints\n"
        "Belgie;2024;bébés;10\n"
        "Maroc;deux mille;Enfants;abc\n"
        "Narnia;2024;childrn;5\n"
    )
    table = read(text, "erreurs.csv")
    chosen = mapping.propose(table)
    chosen.columns["group"] = "Groupe"
    chosen.constants.pop("group", None)
    chosen.constants.update(programme_id="maroc", source_id="src")
    checked = workflow.check(data_dir, table, chosen)
    found = {(f.rule, f.source_row, f.column, f.value, f.suggestion) for f in checked.report.errors}
    assert ("enum", 2, "group", "bébés", None) in found
    assert ("type_integer", 3, "year", "deux mille", None) in found
    assert ("type_number", 3, "count", "abc", None) in found
    assert ("unknown_country", 4, "country_iso3", "Narnia", None) in found
    assert ("enum", 4, "group", "childrn", "children") in found
    messages = [f.message(FR) for f in checked.report.errors]
    assert (
        french_typography(
            "beneficiaries.csv, ligne 11, colonne « group » : « childrn » n'est pas une valeur "
            "autorisée ; valeurs permises : all (Tout public), children (Enfants), young_people "
            "(Jeunes), women (Femmes), mothers (Mères), parents, families (Familles), refugees "
            "(Réfugiés), asylum_seekers (Demandeurs d'asile), migrants, professionals "
            "(Professionnels), volunteers (Bénévoles), students (Étudiants), public (Grand "
            "public), organisations (fichier importé, ligne 4) — vouliez-vous dire « children » ?"
        )
        in messages
    )
    assert not checked.report.ok
    assert [r["group"] for r in checked.mapped.rows][1:3] == ["children", "childrn"]
    report_csv = checked.report.csv(FR).decode("utf-8-sig")
    assert report_csv.splitlines()[0].startswith("Gravité,Ligne dans le fichier importé,Colonne")
    with pytest.raises(ValueError):
        workflow.write(data_dir, checked, "Test")


def test_country_names_close_to_a_known_one_get_a_suggestion(tmp_path: Path) -> None:
    folder = make_data(tmp_path / "data")
    table = read("Pays;Atteints\nBelgiq;10\n", "pays.csv")
    chosen = mapping.propose(table)
    chosen.constants.update(programme_id="maroc", source_id="src", year="2024")
    checked = workflow.check(folder, table, chosen)
    [finding] = [f for f in checked.report.errors if f.rule == "unknown_country"]
    assert finding.suggestion == "BEL"
    assert finding.message(FR) == (
        french_typography(
            "beneficiaries.csv, ligne 9, colonne « country_iso3 » : pays inconnu : « Belgiq » "
            "(ni un code ni un nom de countries.csv) (fichier importé, ligne 2) — "
            "vouliez-vous dire « BEL » ?"
        )
    )
    assert "vermoedelijk" in finding.message(Translator("nl")) or "bedoelde" in finding.message(
        Translator("nl")
    )


def _targets(data_dir: Path, text: str) -> workflow.Checked:
    """A check of reached and targeted counts of women in Senegal in 2030 (« Atteints;Cible »)."""
    table = read(text, "cibles.csv")
    chosen = mapping.propose(table)
    chosen.constants.update(
        programme_id="daaras", source_id="src", year="2030", country_iso3="SEN", group="women"
    )
    return workflow.check(data_dir, table, chosen)


def test_reached_above_target_warns_without_blocking(data_dir: Path) -> None:
    checked = _targets(data_dir, "Atteints;Cible\n900;500\n")
    assert checked.report.ok
    [warning] = checked.report.warnings
    assert (warning.rule, warning.source_row) == ("reached_above_target", 2)
    assert "900" in warning.message(FR) and "500" in warning.message(FR)
    shown = checked.report.frame(FR).iloc[0]  # as the page shows it: no « None » in French
    assert (shown["Valeur"], shown["Suggestion"], shown["Colonne"]) == ("", "", "count")


def _figure_at(checked: workflow.Checked, row: int | None) -> dict[str, str]:
    """Row ``row`` of the candidate's figures file (row 2 is its first figure)."""
    assert row is not None
    return mapping.read_rows(checked.candidate.folder / "beneficiaries.csv")[1][row - 2]


def test_reached_above_target_names_the_first_imported_row_of_each_sum(data_dir: Path) -> None:
    # women: 600 + 300 reached > 500 targeted; children: 100 < 400; the part (« dont »)
    # of the women's figure is not added again
    text = (
        "Activité;Groupe;Cible;Atteints;dont moins de 5 ans\n"
        "Écoles;Enfants;400;100;\n"
        "Santé;Femmes;500;600;250\n"
        "Formation;Femmes;;300;\n"
    )
    table = read(text, "cibles.csv")
    chosen = mapping.propose(table)
    chosen.constants.update(programme_id="daaras", source_id="src", year="2030")
    chosen.constants.update(country_iso3="SEN")
    assert chosen.parts == {"dont moins de 5 ans": "Atteints"}
    checked = workflow.check(data_dir, table, chosen)
    assert checked.report.ok
    [warning] = [w for w in checked.report.warnings if w.rule == "reached_above_target"]
    assert warning.source_row == 3  # the first row of the upload that adds to the sum
    row = _figure_at(checked, warning.row)  # and its first figure in the figures file
    assert (row["group"], row["measure"], row["count"]) == ("women", "targeted", "500")
    assert warning.row is not None and checked.candidate.origin[warning.row] == 3
    assert (warning.details["reached"], warning.details["targeted"]) == (900, 500)


def test_reached_above_target_writes_its_sums_the_way_the_language_does(data_dir: Path) -> None:
    # « 1.23457e+06 » was written for 1 234 567 persons: six digits, in no language's way
    [warning] = _targets(data_dir, "Atteints;Cible\n1234567;1000000\n").report.warnings
    written = {
        lang: warning.message(Translator(lang)).replace("\u202f", " ").replace("\xa0", " ")
        for lang in ("fr", "nl", "en")
    }
    assert "(1 234 567)" in written["fr"] and "(1 000 000)" in written["fr"]
    assert "(1.234.567)" in written["nl"] and "(1.000.000)" in written["nl"]
    assert "(1,234,567)" in written["en"] and "(1,000,000)" in written["en"]
    assert not any("e+" in text for text in written.values())


def test_reached_above_target_is_told_on_a_candidate_with_errors_too(data_dir: Path) -> None:
    text = "Pays;Atteints;Cible\nSénégal;900;500\nAtlantide;10;20\n"
    table = read(text, "cibles.csv")
    chosen = mapping.propose(table)
    chosen.constants.update(programme_id="daaras", source_id="src", year="2030", group="women")
    checked = workflow.check(data_dir, table, chosen)
    assert [f.source_row for f in checked.report.errors] == [3, 3]  # one per figure of the row
    [warning] = [w for w in checked.report.warnings if w.rule == "reached_above_target"]
    assert warning.source_row == 2
    assert _figure_at(checked, warning.row)["count"] == "900"


def test_a_sum_above_target_before_the_import_is_not_the_imports_news(data_dir: Path) -> None:
    first = read("Atteints;Cible\n900;500\n", "cibles.csv")
    chosen = mapping.propose(first)
    chosen.constants.update(
        programme_id="daaras", source_id="src", year="2030", country_iso3="SEN", group="women"
    )
    workflow.write(data_dir, workflow.check(data_dir, first, chosen), "Test")
    other = read("Atteints;Cible\n900;500\n", "autres.csv")  # the same figures, another year
    chosen.constants["year"] = "2031"
    checked = workflow.check(data_dir, other, chosen)
    [warning] = [w for w in checked.report.warnings if w.rule == "reached_above_target"]
    assert _figure_at(checked, warning.row)["year"] == "2031"


def test_required_field_without_column_or_constant_is_named(data_dir: Path) -> None:
    table = read(PARTNERS)
    checked = workflow.check(data_dir, table, mapping.propose(table))
    unmapped = {f.column for f in checked.report.errors if f.rule == "unmapped_required"}
    assert unmapped == {"programme_id", "source_id"}


def test_undo_restores_the_previous_state_exactly(data_dir: Path) -> None:
    before = {p.name: p.read_bytes() for p in data_dir.glob("*.csv")}
    table = read(PARTNERS)
    workflow.write(data_dir, workflow.check(data_dir, table, facts_mapping(table)), "Test")
    store = Store(data_dir)
    assert store.can_undo()
    store.undo(who="Test")
    assert {p.name: p.read_bytes() for p in store.current().glob("*.csv")} == before
    assert {p.name: p.read_bytes() for p in data_dir.glob("*.csv")} == before
    actions = [row["action"] for row in store.history()]
    assert actions == ["undo", "import", "seed"]
    assert store.history()[0]["removed"] == "3"
    assert not store.can_undo()  # back at the state before the first import
    with pytest.raises(NothingToUndoError):
        store.undo(who="Test")


def test_repeated_undo_walks_back_import_by_import(data_dir: Path) -> None:
    states = [(data_dir / "beneficiaries.csv").read_bytes()]
    for count in ("1.234", "1.300", "1.400"):
        table = read(PARTNERS.replace("1.234", count))
        chosen = facts_mapping(table)
        workflow.write(data_dir, workflow.check(data_dir, table, chosen), "Test", confirmed=True)
        states.append((current_version(data_dir) / "beneficiaries.csv").read_bytes())
    store = Store(data_dir)
    for expected in reversed(states[:-1]):
        reverted = store.next_undo()
        assert reverted is not None and reverted["action"] == "import"
        store.undo(who="Test")
        assert (current_version(data_dir) / "beneficiaries.csv").read_bytes() == expected
    assert not store.can_undo() and store.next_undo() is None
    assert [r["action"] for r in store.history()] == ["undo"] * 3 + ["import"] * 3 + ["seed"]


def test_nothing_to_undo_on_a_plain_folder(data_dir: Path) -> None:
    with pytest.raises(NothingToUndoError):
        Store(data_dir).undo()


def test_a_stale_preview_is_refused(data_dir: Path) -> None:
    table = read(PARTNERS)
    first = workflow.check(data_dir, table, facts_mapping(table))
    second = workflow.check(data_dir, table, facts_mapping(table))
    workflow.write(data_dir, first, "A")
    with pytest.raises(ConflictError):
        workflow.write(data_dir, second, "B")


HOSTILE = [
    "x'); DROP TABLE beneficiaries; --",
    "<script>alert(1)</script>",
    "**gras** [lien](javascript:alert(1)) <img src=x onerror=alert(1)>",
    "' OR 1=1 --",
]


def test_hostile_strings_are_stored_as_text(data_dir: Path) -> None:
    text = "Note;Atteints\n" + "".join(f'"{h}";{i + 1}\n' for i, h in enumerate(HOSTILE))
    table = read(text, "hostile.csv", "utf-8")
    chosen = facts_mapping(table)
    chosen.columns["note"] = "Note"
    chosen.constants.update(year="2024", country_iso3="MAR")
    chosen.measures = {"Atteints": "reached"}
    checked = workflow.check(data_dir, table, chosen)
    assert checked.report.ok, [f.message(FR) for f in checked.report.errors]
    workflow.write(data_dir, checked, "<b>x</b>")
    db = Database.open(current_version(data_dir))
    try:
        notes = set(db.con.execute("select note from beneficiaries").df()["note"].dropna())
        assert set(HOSTILE) <= notes
        assert db.con.execute("select count(*) from programmes").fetchone() == (3,)
    finally:
        db.close()


SAFE_CELL = st.text(alphabet=st.sampled_from(list("aé1.,-;'\"<>#NA \n")), max_size=8)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.lists(SAFE_CELL, min_size=0, max_size=5), max_size=6))
def test_random_rows_always_give_a_report(rows: list[list[str]]) -> None:
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        folder = make_data(Path(tmp) / "data")
        text = "Pays;Année;Atteints;Groupe\n" + "\n".join(";".join(r) for r in rows)
        try:
            table = reading.read_bytes(text.encode("utf-8"), "random.csv")
        except reading.ReadError:
            return
        chosen = mapping.propose(table)
        chosen.constants.update(programme_id="maroc", source_id="src")
        checked = workflow.check(folder, table, chosen)
        for finding in checked.report.findings:
            assert finding.message(FR)
        checked.discard()


def test_password_hash_round_trip(monkeypatch: pytest.MonkeyPatch) -> None:
    stored = auth.hash_password("correct horse battery")
    assert stored.startswith("scrypt$16384$8$1$")
    assert auth.verify("correct horse battery", stored)
    assert not auth.verify("correct horse batterz", stored)
    assert not auth.verify("x", "not-a-hash")
    assert not auth.verify("x", "scrypt$a$b$c$d$e")
    assert auth.hash_password("same") != auth.hash_password("same")  # salted
    monkeypatch.delenv(auth.ENV, raising=False)
    assert auth.configured_hash(None) is None
    assert auth.configured_hash("plain-password") is None  # only a hash is accepted
    monkeypatch.setenv(auth.ENV, stored)
    assert auth.configured_hash(None) == stored


@settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=600), st.sampled_from(["beneficiaries.csv", "countries.csv"]))
def test_random_bytes_in_a_data_file_give_a_report(data: bytes, name: str) -> None:
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        folder = make_data(Path(tmp) / "data")
        header = (folder / name).read_bytes().split(b"\n", 1)[0] + b"\n"
        for content in (data, header + data):
            (folder / name).write_bytes(content)
            report = validate_folder(folder)
            for problem in report.problems:
                assert problem.message(FR)


def test_files_edited_outside_the_app_are_detected_and_adopted(data_dir: Path) -> None:
    from impact.validation import DataError

    table = read(PARTNERS)
    workflow.write(data_dir, workflow.check(data_dir, table, facts_mapping(table)), "Test")
    store = Store(data_dir)
    assert store.edited_outside() == []
    path = data_dir / "sources.csv"
    path.write_text(path.read_text().replace("Rapport annuel 2024", "Rapport 2024 (corrigé)"))
    assert store.edited_outside() == ["sources.csv"]
    assert "corrigé" not in (current_version(data_dir) / "sources.csv").read_text()
    store.adopt_outside(who="git pull")
    assert "corrigé" in (current_version(data_dir) / "sources.csv").read_text()
    assert store.edited_outside() == []
    assert store.history()[0]["action"] == "adopt"
    (data_dir / "sources.csv").write_text("source_id\nBAD ID\n")
    with pytest.raises(DataError):
        store.adopt_outside(who="x")
    assert "corrigé" in (current_version(data_dir) / "sources.csv").read_text()


def test_editing_a_file_goes_through_the_same_checks(data_dir: Path) -> None:
    frame = workflow.file_frame(data_dir, "beneficiaries")
    frame.loc[frame["fact_id"] == "maroc-families", "count"] = "260"
    checked = workflow.check_edit(data_dir, "beneficiaries", frame)
    assert checked.report.ok, [f.message(FR) for f in checked.report.errors]
    [change] = checked.changes
    assert (change.added, change.changed, change.removed) == (0, 1, 0)
    frame = frame[frame["fact_id"] != "daaras-target"]
    frame.loc[frame["fact_id"] == "maroc-persons", "year"] = "deux mille"
    broken = workflow.check_edit(data_dir, "beneficiaries", frame)
    assert {(f.rule, f.source_row, f.column) for f in broken.report.errors} == {
        ("type_integer", 2, "year")
    }
    workflow.write(data_dir, checked, "Test", remember=False)
    assert "260" in (current_version(data_dir) / "beneficiaries.csv").read_text()
    assert not mapping.mappings_dir(data_dir).exists()


def test_an_import_counts_the_problems_it_does_not_list(data_dir: Path) -> None:
    """60 unknown countries: 50 are listed and one line says « 10 more »; the report
    counts 60 (the review page's « N problems block the import »), not 51."""
    table = read(PARTNERS + "".join(f"XX;2023;{5 + i};NA\n" for i in range(60)))
    checked = workflow.check(data_dir, table, facts_mapping(table))
    try:
        about_countries = [f for f in checked.report.errors if f.column == "country_iso3"]
        assert len(about_countries) == 51
        assert about_countries[-1].rule == "more_problems"
        assert "10 autres problèmes de ce type" in about_countries[-1].message(FR)
        assert sum(f.count for f in about_countries) == 60
        assert checked.report.error_count == sum(f.count for f in checked.report.errors)
        assert checked.report.error_count > len(checked.report.errors)
    finally:
        checked.discard()


def test_control_characters_are_cleaned_on_import_with_a_warning(data_dir: Path) -> None:
    text = "Pays;Atteints;Note\nMaroc;12;trois\x07\x1b\x0b\x08 enfants\nMaroc;13;propre\n"
    table = read(text, "controle.csv", "utf-8")
    chosen = facts_mapping(table)
    chosen.columns["note"] = "Note"
    chosen.constants.update(year="2024")
    checked = workflow.check(data_dir, table, chosen)
    assert checked.report.ok, [f.message(FR) for f in checked.report.errors]
    [warning] = [f for f in checked.report.warnings if f.rule == "control_characters"]
    assert (warning.column, warning.source_row, warning.details["count"]) == ("Note", 2, 1)
    assert warning.value == "trois\\x07\\x1b\\x0b\\x08 enfants"
    assert "1 cellule contenait des caractères de contrôle invisibles" in warning.message(FR)
    assert "1 cel bevatte onzichtbare stuurtekens" in warning.message(Translator("nl"))
    assert [r["note"] for r in checked.mapped.rows] == ["trois enfants", "propre"]
    workflow.write(data_dir, checked, "Test")
    assert validate_folder(current_version(data_dir)).ok


def test_rows_that_make_the_same_identifier_are_named_as_rows_of_the_file(
    data_dir: Path,
) -> None:
    """An identifier the import made (« import-reached-… », a slug of a name) was
    reported as « the identifier is used more than once », as if the curator had typed
    it. The report now names the two rows of the uploaded file and what to do."""
    text = "Pays;Année;Atteints\nMaroc;2024;12\nMaroc;2023;5\nMaroc;2024;14\n"
    table = reading.read_bytes(text.encode(), "f.csv")
    checked = workflow.check(data_dir, table, facts_mapping(table))
    try:
        [twice] = [f for f in checked.report.errors if f.column == "fact_id"]
        assert (twice.rule, twice.source_row, twice.details) == (
            "same_figure_twice",
            4,
            {"other": 2},
        )
        message = twice.message(Translator("nl"))
        assert "deze rij van uw bestand is gelijk aan rij 2" in message
        assert "(geüpload bestand, rij 4)" in message
    finally:
        checked.discard()
    orgs = reading.read_bytes(b"name,kind,country\nAide,ngo,MAR\nAide,ngo,SEN\n", "orgs.csv")
    chosen = mapping.propose(orgs, "organisations")
    chosen.columns.update(name="name", kind="kind", country_iso3="country")
    chosen.constants.update(summary="Partenaire.", source_id="src")
    checked = workflow.check(data_dir, orgs, chosen)
    try:
        [twice] = [f for f in checked.report.errors if f.column == "org_id"]
        assert (twice.rule, twice.value, twice.details) == ("same_name_twice", "aide", {"other": 2})
        assert "a le même nom que la ligne 2" in twice.message(Translator("fr"))
    finally:
        checked.discard()


def _preview_page(root: str, count: bool, lang: str = "nl") -> None:
    """The preview step of an import (in Dutch by default), for a file with or without its
    count."""
    from pathlib import Path
    from types import SimpleNamespace

    from impact.curation import mapping, reading, workflow
    from impact.curation.store import Store
    from impact.i18n import Translator
    from impact.ui.data.desk import Desk
    from impact.ui.data.review import preview

    text = "Pays;Année;Atteints\nMaroc;2024;12\n" if count else "Pays;Année\nMaroc;2024\n"
    table = reading.read_bytes(text.encode(), "f.csv")
    chosen = mapping.propose(table)
    chosen.constants.update(programme_id="maroc", source_id="src")
    checked = workflow.check(Path(root), table, chosen)
    desk = Desk(SimpleNamespace(tr=Translator(lang)), Path(root), Store(Path(root)))  # type: ignore[arg-type]
    preview(desk, checked)
    checked.discard()


@pytest.mark.parametrize("count", [True, False], ids=["imports", "blocked"])
def test_the_french_preview_counts_rows_without_a_wrong_plural(data_dir: Path, count: bool) -> None:
    """« beneficiaries.csv : 1 ajoutées, 0 modifiées » had no singular (and « une fois
    corrigé, 1 ajoutées » no verb): each count now follows its label, whatever it is."""
    from streamlit.testing.v1 import AppTest

    from tests.conftest import APPTEST_TIMEOUT

    at = AppTest.from_function(
        _preview_page,
        kwargs={"root": str(data_dir), "count": count, "lang": "fr"},
        default_timeout=APPTEST_TIMEOUT,
    )
    at.run()
    assert not at.exception, at.exception
    shown = [str(m.value).replace("\\", "") for m in at.markdown]
    lines = [line for line in shown if line.startswith("beneficiaries.csv")]
    n = "\u00a0"
    if count:
        assert lines == [
            f"beneficiaries.csv{n}: lignes ajoutées{n}: 1, modifiées{n}: 0, supprimées{n}: 0"
        ]
    else:
        assert lines == [
            f"beneficiaries.csv{n}: rien n'est écrit tant qu'un problème bloque l'import{n}; "
            f"une fois corrigé, lignes à ajouter{n}: 1, à modifier{n}: 0, à supprimer{n}: 0"
        ]


@pytest.mark.parametrize("count", [True, False], ids=["imports", "blocked"])
def test_a_blocked_imports_preview_does_not_read_as_done(data_dir: Path, count: bool) -> None:
    """« beneficiaries.csv: 1 toegevoegd » beside « count is verplicht » read as if rows
    had been added; a blocked import now says that nothing is written."""
    from streamlit.testing.v1 import AppTest

    from tests.conftest import APPTEST_TIMEOUT

    at = AppTest.from_function(
        _preview_page,
        kwargs={"root": str(data_dir), "count": count},
        default_timeout=APPTEST_TIMEOUT,
    )
    at.run()
    assert not at.exception, at.exception
    shown = [str(m.value).replace("\\", "") for m in at.markdown]  # markdown escapes
    lines = [line for line in shown if line.startswith("beneficiaries.csv")]
    if count:
        assert lines == ["beneficiaries.csv: 1 toegevoegd, 0 gewijzigd, 0 verwijderd"]
    else:
        assert lines == [
            "beneficiaries.csv: er wordt niets weggeschreven zolang een probleem de import "
            "blokkeert; na de correctie zouden er 1 toegevoegd, 0 gewijzigd en 0 verwijderd worden"
        ]
    # the rows' table and its caption say the same: « toegevoegd » only when it happens
    changes = at.dataframe[1].value
    assert list(changes["Wijziging"]) == (["toegevoegd"] if count else ["zou worden toegevoegd"])
    caption = at.caption[0].value
    assert ("zouden worden" in caption) is not count, caption


def _described(lang: str, text: str) -> None:
    """What the reader understood of an upload (``upload.describe``), in ``lang``."""
    from pathlib import Path
    from types import SimpleNamespace

    from impact.curation import reading
    from impact.curation.store import Store
    from impact.i18n import Translator
    from impact.ui.data.desk import Desk
    from impact.ui.data.upload import describe

    desk = Desk(SimpleNamespace(tr=Translator(lang)), Path("."), Store(Path(".")))  # type: ignore[arg-type]
    describe(desk, reading.read_bytes(text.encode(), "f.csv"))


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        ("en", "data rows: 1,"),
        ("fr", "lignes de données\u00a0: 1,"),
        ("nl", "gegevensrijen: 1,"),
    ],
)
def test_an_upload_of_one_row_is_described_without_a_wrong_plural(lang: str, expected: str) -> None:
    """« 1 data rows », « 1 lignes de données », « 1 gegevensrijen »: the count now
    follows its label."""
    from streamlit.testing.v1 import AppTest

    from tests.conftest import APPTEST_TIMEOUT

    at = AppTest.from_function(
        _described,
        kwargs={"lang": lang, "text": "Pays;Année;Atteints\nMaroc;2024;12\n"},
        default_timeout=APPTEST_TIMEOUT,
    )
    at.run()
    assert not at.exception, at.exception
    line = str(at.caption[0].value).replace("\\", "")
    assert expected in line, line
