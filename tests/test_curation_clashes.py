"""An import never overwrites a curated record it did not mean to (issue 13, item 9).

Importing a 4W list of organisations once replaced the curated, Belgian
« medecins-du-monde » with an Ethiopian placeholder, and the preview, listing 500
additions first, never showed it. Now the changed record is listed first and
called out in the report, writing it needs an explicit confirmation, and fields
the import does not supply keep their curated values.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from impact.curation import diff, mapping, reading, workflow
from impact.curation.store import Store
from impact.i18n import Translator
from impact.paths import current_version
from tests.factory import ORGS, make_data

FR = Translator("fr")
MDM = {
    "org_id": "medecins-du-monde",
    "name": "Médecins du Monde Belgique",
    "acronym": "MdM",
    "kind": "international_ngo",
    "country_iso3": "BEL",
    "website": "https://www.medecinsdumonde.be",
    "summary": "Association médicale ; a soigné les demandeurs d'asile au Parc Maximilien.",
    "source_id": "src",
}


def four_w(extra: int) -> reading.Table:
    lines = ["location_code,org_name,org_type_description"]
    lines.append("SEN,Médecins du Monde,International NGO")  # slug: medecins-du-monde
    lines += [f"SEN,Partenaire local {i:04d},National NGO" for i in range(extra)]
    return reading.read_bytes(("\n".join(lines) + "\n").encode("utf-8"), "4w.csv")


def org_mapping(found: reading.Table) -> mapping.Mapping:
    chosen = mapping.propose(found, "organisations")
    chosen.columns.update(
        name="org_name", kind="org_type_description", country_iso3="location_code"
    )
    chosen.constants.update(summary="Organisation listée dans un fichier 4W.", source_id="src")
    return chosen


@pytest.fixture
def curated(tmp_path: Path) -> Path:
    return make_data(tmp_path / "data", organisations=[*ORGS, MDM])


def test_a_clash_is_listed_first_called_out_and_needs_confirmation(curated: Path) -> None:
    found = four_w(600)
    checked = workflow.check(curated, found, org_mapping(found))
    try:
        assert checked.report.ok, [f.message(FR) for f in checked.report.errors[:3]]
        [change] = checked.changes
        assert (change.added, change.changed, change.removed) == (600, 1, 0)
        # the preview lists the change to the existing record first, whatever the additions
        table = diff.changes_table(change, FR)
        assert table.iloc[0].tolist()[:2] == ["modifiée", "medecins-du-monde"]
        assert "country_iso3: BEL → SEN" in table.iloc[0].tolist()[2]
        # the report calls it out, with the row of the uploaded file
        rules = [f.rule for f in checked.report.warnings]
        assert rules[:2] == ["changes_existing", "overwrites_record"]
        said = checked.report.warnings[0].message(FR).replace("\u00a0", " ")
        assert "modifie ou supprime 1 enregistrement existant (modifications : 1" in said
        assert "; il est listé en premier" in said
        clash = checked.report.warnings[1]
        assert (clash.value, clash.source_row) == ("medecins-du-monde", 2)
        message = clash.message(FR)
        assert "remplace l'enregistrement existant" in message
        assert "Médecins du Monde Belgique" in message and "BEL" in message
        # writing needs the curator's confirmation
        assert checked.needs_confirmation and checked.touches_existing == 1
        with pytest.raises(workflow.ConfirmationNeededError):
            workflow.write(curated, checked, "Curateur")
        assert Store(curated).history() == []  # nothing was written
        workflow.write(curated, checked, "Curateur", confirmed=True)
    finally:
        checked.discard()
    _header, rows = mapping.read_rows(current_version(curated) / "organisations.csv")
    written = next(r for r in rows if r["org_id"] == "medecins-du-monde")
    # fields the import does not supply keep their curated values
    assert (written["website"], written["acronym"]) == (MDM["website"], MDM["acronym"])
    assert written["country_iso3"] == "SEN"  # what the curator confirmed


def test_an_import_that_only_adds_needs_no_confirmation(curated: Path) -> None:
    found = reading.read_bytes(
        b"location_code,org_name,org_type_description\nSEN,Nouvelle ASBL,National NGO\n", "new.csv"
    )
    checked = workflow.check(curated, found, org_mapping(found))
    assert checked.report.ok and not checked.needs_confirmation
    assert not [f for f in checked.report.findings if f.rule == "overwrites_record"]
    workflow.write(curated, checked, "Curateur")
    _header, rows = mapping.read_rows(current_version(curated) / "organisations.csv")
    assert next(r for r in rows if r["org_id"] == "nouvelle-asbl")["kind"] == "ngo"


def test_replacing_a_source_lists_removed_records_and_needs_confirmation(data_dir: Path) -> None:
    found = reading.read_bytes("Pays;Année;Atteints\nMaroc;2024;12\n".encode(), "f.csv")
    chosen = mapping.propose(found)
    chosen.constants.update(programme_id="maroc", source_id="src")
    chosen.mode = "replace_source"
    checked = workflow.check(data_dir, found, chosen)
    try:
        [change] = checked.changes
        assert change.removed == 7 and checked.needs_confirmation
        table = diff.changes_table(change, FR)
        assert table.iloc[:7, 0].tolist() == ["supprimée"] * 7
        assert table.iloc[7, 0] == "ajoutée"
    finally:
        checked.discard()


@pytest.mark.browser
def test_the_page_writes_a_clash_only_once_the_curator_confirms_it(
    curated: Path, tmp_path: Path, browser: Any
) -> None:
    """On the Data page: the changed record is called out, « Write » stays disabled until
    the box « I have checked… » is ticked, then the write keeps the curated website."""
    from tests.conftest import ADMIN_PASSWORD, Server, check_remembered_upload
    from tests.test_browser import wait_ready

    upload = tmp_path / "4w.csv"
    found = four_w(3)
    upload.write_text(
        "location_code,org_name,org_type_description\nSEN,Médecins du Monde,International NGO\n"
        + "".join(f"SEN,Partenaire local {i:04d},National NGO\n" for i in range(3)),
        encoding="utf-8",
    )
    mapping.remember(curated, found, org_mapping(found))  # confirmed on an earlier import
    server = Server(curated, admin_password=ADMIN_PASSWORD)
    try:
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        check_remembered_upload(page, server, upload)
        page.get_by_text("Des enregistrements existants changent").wait_for(timeout=30_000)
        page.get_by_label("Votre nom (conservé dans le journal des modifications)").first.fill(
            "Navigateur"
        )
        page.keyboard.press("Enter")
        write = page.get_by_role("button", name="Écrire les données")
        write.wait_for()
        wait_ready(page)  # the name is in: only the confirmation is missing
        assert write.is_disabled()
        assert Store(curated).history() == []
        page.get_by_text("J'ai vérifié 1 enregistrement existant").click()
        page.wait_for_function(
            "() => Array.from(document.querySelectorAll('button'))"
            ".some(b => b.innerText.includes('Écrire les données') && !b.disabled)"
        )
        write.click()
        page.get_by_text("Écrit comme version").wait_for(timeout=30_000)
        page.close()
    finally:
        server.stop()
    assert [r["action"] for r in Store(curated).history()] == ["import", "seed"]
    _header, rows = mapping.read_rows(current_version(curated) / "organisations.csv")
    written = next(r for r in rows if r["org_id"] == "medecins-du-monde")
    assert (written["website"], written["country_iso3"]) == (MDM["website"], "SEN")
