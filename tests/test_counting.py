"""The counting rules on hand-made data whose right answers are known.

« 10.378 personnes, dont 3.189 enfants » counts 10 378 persons and 3 189
children among them; families never add to persons; percentages never add up;
« reached » never mixes with « targeted ».
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pandas as pd
import pytest

from impact.db import Database
from impact.figures import key_figures
from impact.filters import Filters
from tests.factory import FACTS, fact, make_data

ALL = Filters()


def total(db: Database, filters: Filters, unit: str = "persons", measure: str = "reached") -> float:
    row = db.query("reach_total", {**filters.params(), "unit": unit, "measure": measure})
    return float(row["total"].iloc[0])


def test_a_part_is_not_added_to_its_whole(db: Database) -> None:
    # 10 378 (Morocco) + 1 675 (Daaras, a whole of children) + 2 100 (students)
    assert total(db, ALL) == 10378 + 1675 + 2100


def test_children_are_counted_among_persons(db: Database) -> None:
    children = ALL.children_scope()
    assert children is not None
    assert total(db, children) == 3189 + 1675


def test_a_part_counts_when_its_whole_is_filtered_out(db: Database) -> None:
    # Filtering on children keeps the part (3 189) and drops its whole (group « all »).
    assert total(db, Filters(groups=("children",), countries=("MAR",))) == 3189
    # Filtering on the whole's group keeps only the whole.
    assert total(db, Filters(groups=("all",), countries=("MAR",))) == 10378
    # Both groups selected: the part is inside its whole again, counted once.
    assert total(db, Filters(groups=("all", "children"), countries=("MAR",))) == 10378


def test_families_are_never_added_to_persons(db: Database) -> None:
    assert total(db, ALL, unit="families") == 250
    assert total(db, Filters(countries=("MAR",))) == 10378


def test_percentages_are_never_summed(db: Database) -> None:
    assert total(db, ALL, unit="percent", measure="outcome") == 0


def test_reached_is_never_mixed_with_targeted(db: Database) -> None:
    assert total(db, Filters(programmes=("daaras",))) == 1675
    assert total(db, Filters(programmes=("daaras",)), measure="targeted") == 5000


def test_filters_by_year_organisation_theme(db: Database) -> None:
    assert total(db, Filters(year_from=2014, year_to=2014)) == 2100
    assert total(db, Filters(year_from=2020)) == 10378 + 1675
    assert total(db, Filters(orgs=("ecpat",))) == 2100
    assert total(db, Filters(themes=("education",))) == 1675


def test_totals_by_year_theme_country_add_up_to_the_total(db: Database) -> None:
    params = {**ALL.params(), "unit": "persons", "measure": "reached"}
    for name in ("reach_by_year", "reach_by_theme", "reach_by_country"):
        assert db.query(name, params)["total"].sum() == total(db, ALL), name


def test_a_lower_bound_is_flagged(db: Database) -> None:
    row = db.query("reach_total", {**ALL.params(), "unit": "persons", "measure": "reached"})
    assert bool(row["approximate"].iloc[0])  # « plus de 2100 étudiants »
    row = db.query(
        "reach_total", {**Filters(orgs=("sos",)).params(), "unit": "persons", "measure": "reached"}
    )
    assert not bool(row["approximate"].iloc[0])


def test_key_figures(db: Database) -> None:
    figures = {f.key: f for f in key_figures(db.query, ALL)}
    assert figures["persons"].value == 14153
    assert figures["children"].value == 4864
    assert figures["families"].value == 250
    assert figures["countries"].value == 3
    assert figures["programmes"].value == 3
    assert figures["organisations"].value == 2


def test_children_figure_is_empty_when_groups_exclude_children(db: Database) -> None:
    figures = {f.key: f for f in key_figures(db.query, Filters(groups=("students",)))}
    assert figures["children"].value is None
    assert figures["persons"].value == 2100


def test_rows_behind_a_figure_add_up_to_it(db: Database) -> None:
    params = {**ALL.params(), "unit": "persons", "measure": "reached"}
    rows = db.query("counted_facts", {**params, "limit": 100, "largest_only": False})
    assert set(rows["fact_id"]) == {"maroc-persons", "daaras-children", "stop-students"}
    largest = db.query("counted_facts", {**params, "limit": 100, "largest_only": True})
    pd.testing.assert_frame_equal(largest, rows)  # small data: every figure is « largest »
    assert rows["count"].sum() == total(db, ALL)
    assert rows["quote"].str.len().min() > 0


def test_programmes_without_figures_are_in_scope_by_their_attributes(tmp_path: Path) -> None:
    facts = [f for f in FACTS if f["programme_id"] != "daaras"]
    db = Database.open(make_data(tmp_path / "d", beneficiaries=facts))
    counts = db.query("scope_counts", Filters(countries=("SEN",)).params()).iloc[0]
    assert counts["programmes"] == 1  # Daaras: no figure, but its country is Senegal
    counts = db.query("scope_counts", Filters(groups=("children",)).params()).iloc[0]
    assert counts["programmes"] == 1  # only Morocco has children figures now
    db.close()


@pytest.mark.parametrize("year_basis", ["stated", "source_date"])
def test_year_basis_does_not_change_the_count(tmp_path: Path, year_basis: str) -> None:
    facts = [fact("only", 7, year_basis=year_basis)]
    db = Database.open(make_data(tmp_path / "d", beneficiaries=facts))
    assert total(db, ALL) == 7
    db.close()


def test_filters_round_trip_through_the_url() -> None:
    filters = Filters(2020, 2024, ("sos",), ("education",), ("MAR", "SEN"), ("children",))
    assert Filters.from_query(filters.to_query()) == filters
    assert Filters.from_query({"country": "MAR,' OR 1=1 --", "years": "x"}) == Filters(
        countries=("MAR",)
    )
    assert replace(filters, groups=()).children_scope() == replace(filters, groups=("children",))
