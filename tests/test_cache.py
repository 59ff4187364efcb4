"""The columnar cache, the data-source switch and the synthetic data generator."""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from pathlib import Path
from typing import IO

import pandas as pd
import pytest

from impact import cache
from impact.db import Database, table_names
from impact.figures import key_figures, rows_behind
from impact.filters import Filters
from impact.paths import BUNDLED_DATA_DIR
from impact.queries import query_names
from impact.source import FOLDER, MOTHERDUCK, PARQUET, parse_source
from impact.synthetic import generate
from impact.validation import DataError, validate_folder
from tests.factory import FACTS, fact, write_csv
from tests.test_queries import FULL_FILTERS, params_for


@pytest.fixture
def store(tmp_path: Path) -> Path:
    return tmp_path / "cache"


def _comparable(frame: pd.DataFrame) -> pd.DataFrame:
    """Rows in a canonical order (ties in ORDER BY may come out in any order)."""
    if frame.empty:
        return frame.reset_index(drop=True)
    keys = frame.astype(str)
    return frame.loc[keys.sort_values(list(keys.columns)).index].reset_index(drop=True)


def assert_same_answers(expected: Database, actual: Database) -> None:
    for table in table_names():
        pd.testing.assert_frame_equal(
            _comparable(expected.con.execute(f"SELECT * FROM {table}").df()),
            _comparable(actual.con.execute(f"SELECT * FROM {table}").df()),
            obj=table,
        )
    for name in query_names():
        for filters in (Filters(), FULL_FILTERS, Filters(year_from=2020)):
            params = params_for(name, filters)
            pd.testing.assert_frame_equal(
                _comparable(expected.query(name, params)),
                _comparable(actual.query(name, params)),
                check_dtype=False,
                obj=f"{name} {filters}",
            )


@pytest.fixture
def csv_and_cached(data_dir: Path, store: Path) -> Iterator[tuple[Database, Database]]:
    from_csv = Database.open(data_dir)
    from_cache = cache.open_folder(data_dir, store)
    yield from_csv, from_cache
    from_csv.close()
    from_cache.close()


def test_cache_is_built_once_and_reused(data_dir: Path, store: Path) -> None:
    first = cache.ensure(data_dir, store)
    again = cache.ensure(data_dir, store)
    assert first.built and not again.built
    assert again.path == first.path and again.fingerprint == first.fingerprint
    assert first.path.parent == store and first.path.suffix == ".duckdb"


def test_cache_is_rebuilt_when_a_source_file_changes(data_dir: Path, store: Path) -> None:
    first = cache.ensure(data_dir, store)
    write_csv(data_dir / "beneficiaries.csv", "beneficiaries", [*FACTS, fact("extra", 7)])
    changed = cache.ensure(data_dir, store)
    assert changed.built and changed.fingerprint != first.fingerprint
    database = cache.open_folder(data_dir, store)
    try:
        total = database.query("reach_total", params_for("reach_total", Filters()))["total"]
        assert total.iloc[0] == 10378 + 1675 + 2100 + 7
    finally:
        database.close()


def test_a_same_size_edit_is_seen_by_a_process_that_remembers_its_fingerprint(
    data_dir: Path, store: Path
) -> None:
    """The process remembers each folder's last fingerprint with its files' stamps (the app
    asks before every query); an edit of the same size still changes a stamp, and the key."""
    first = cache.fingerprint(data_dir, store)
    assert cache.fingerprint(data_dir, store) == first
    path = data_dir / "programmes.csv"
    original = path.read_bytes()
    assert b"Maroc" in original
    time.sleep(0.01)
    path.write_bytes(original.replace(b"Maroc", b"Marok", 1))
    assert path.stat().st_size == len(original)
    changed = cache.fingerprint(data_dir, store)
    assert changed != first
    path.write_bytes(original)
    assert cache.fingerprint(data_dir, store) == first  # the same bytes: the same key


def test_same_content_rewritten_gives_the_same_cache(data_dir: Path, store: Path) -> None:
    first = cache.ensure(data_dir, store)
    path = data_dir / "programmes.csv"
    path.write_bytes(path.read_bytes())  # new modification time, same bytes
    again = cache.ensure(data_dir, store)
    assert not again.built and again.fingerprint == first.fingerprint


def test_warm_cache_never_reads_a_csv(data_dir: Path, store: Path) -> None:
    cache.ensure(data_dir, store)
    reads: list[str] = []

    def counting_open(path: Path) -> IO[bytes]:
        reads.append(path.name)
        return path.open("rb")

    cache.fingerprint(data_dir, store, opener=counting_open)
    assert reads == []
    # Stronger: garbage with the same size and modification time is never noticed,
    # because nothing reads the files once their stamps match the cache.
    path = data_dir / "beneficiaries.csv"
    stat = path.stat()
    with path.open("r+b") as handle:
        handle.write(b"\x00" * stat.st_size)
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    database = cache.open_folder(data_dir, store)
    try:
        total = database.query("reach_total", params_for("reach_total", Filters()))["total"]
        assert total.iloc[0] == 10378 + 1675 + 2100
    finally:
        database.close()
    # The key is the content: re-hashing sees the garbage, and the garbage is refused.
    with pytest.raises(DataError):
        cache.ensure(data_dir, store, verify=True)


def test_invalid_folder_leaves_no_cache(data_dir: Path, store: Path) -> None:
    write_csv(data_dir / "beneficiaries.csv", "beneficiaries", [fact("bad", -3)])
    with pytest.raises(DataError):
        cache.ensure(data_dir, store)
    assert not list(store.glob("*.duckdb"))


def test_cache_answers_equal_csv_answers(csv_and_cached: tuple[Database, Database]) -> None:
    from_csv, from_cache = csv_and_cached
    assert_same_answers(from_csv, from_cache)


def test_cache_answers_equal_csv_answers_on_bundled_data(store: Path) -> None:
    from_csv = Database.open(BUNDLED_DATA_DIR)
    from_cache = cache.open_folder(BUNDLED_DATA_DIR, store)
    try:
        assert_same_answers(from_csv, from_cache)
        assert from_cache.report.problems == from_csv.report.problems
    finally:
        from_csv.close()
        from_cache.close()


def test_cache_is_opened_read_only(data_dir: Path, store: Path) -> None:
    database = cache.open_folder(data_dir, store)
    try:
        with pytest.raises(Exception, match="read-only"):
            database.con.execute("DELETE FROM facts")
    finally:
        database.close()


def test_parquet_source_answers_like_the_folder(
    data_dir: Path, store: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    dataset = tmp_path / "dataset"
    written = cache.export(data_dir, dataset, store)
    assert {p.name for p in written} >= {"beneficiaries.parquet", "facts.parquet"}
    monkeypatch.setenv("IMPACT_SOURCE", f"parquet:{dataset}")
    from_parquet = cache.open_source(store=store)
    from_csv = Database.open(data_dir)
    try:
        assert_same_answers(from_csv, from_parquet)
    finally:
        from_parquet.close()
        from_csv.close()


def test_source_configuration(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.delenv("IMPACT_SOURCE", raising=False)
    monkeypatch.setenv("IMPACT_DATA_DIR", str(tmp_path))
    assert parse_source(None).kind == FOLDER
    assert parse_source("").path == tmp_path.resolve()
    assert parse_source(f"parquet:{tmp_path}").kind == PARQUET
    remote = parse_source("parquet:s3://bucket/impact")
    assert remote.is_remote and remote.location == "s3://bucket/impact"
    assert parse_source("md:impact").kind == MOTHERDUCK
    again = parse_source(parse_source(f"folder:{tmp_path}").describe())
    assert again.path == tmp_path.resolve()
    with pytest.raises(ValueError):
        parse_source("ftp:somewhere")


def test_a_data_change_changes_the_result_cache_key(
    data_dir: Path, store: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from impact import ui

    monkeypatch.setenv("IMPACT_DATA_DIR", str(data_dir))
    monkeypatch.setenv("IMPACT_CACHE_DIR", str(store))
    monkeypatch.delenv("IMPACT_SOURCE", raising=False)
    before = ui._source()
    assert ui._source() == before
    write_csv(data_dir / "beneficiaries.csv", "beneficiaries", [*FACTS, fact("extra", 7)])
    after = ui._source()
    assert after[0] == before[0] and after[1] != before[1]


def test_generated_folder_is_valid_and_realistic(tmp_path: Path, store: Path) -> None:
    folder = tmp_path / "synthetic"
    sizes = generate(5000, folder)
    assert sizes["beneficiaries"] == 5000
    assert sizes["countries"] >= 130
    report = validate_folder(folder)
    assert report.ok, [p.message for p in report.errors[:5]]
    facts = pd.read_csv(folder / "beneficiaries.csv", keep_default_na=False)
    assert len(facts) == 5000 and facts["fact_id"].is_unique
    parts = facts[facts["part_of"] != ""]
    assert 0.2 < len(parts) / len(facts) < 0.5
    assert set(parts["group"]) <= {"children", "women", "young_people"}
    assert facts["sensitive"].astype(str).str.lower().eq("true").any()
    assert (facts["quote"] != "").all() and (facts["source_id"] != "").all()
    assert facts["year"].nunique() == 11 and facts["country_iso3"].nunique() > 10
    assert {"persons", "families", "percent"} <= set(facts["unit"])
    assert (folder / "datapackage.json").exists()
    database = cache.open_folder(folder, store)
    try:
        total = database.query("reach_total", params_for("reach_total", Filters()))
        assert total["total"].iloc[0] > 0
    finally:
        database.close()


def test_the_figures_are_stored_by_programme(tmp_path: Path, store: Path) -> None:
    """A programme's figures sit together in the cache (a few row groups for DuckDB to
    read, found by their min/max), although the file lists them in any order.

    The order comes from ``db.STORED_ORDER`` through ``10_facts``'s joins; 300 000
    figures make three row groups, read by both threads.
    """
    folder = tmp_path / "synthetic"
    generate(300_000, folder, seed=5)
    listed = pd.read_csv(folder / "beneficiaries.csv", usecols=["programme_id"])["programme_id"]
    assert (listed != listed.shift()).sum() > 100_000  # the file is not in programme order
    database = cache.open_folder(folder, store)
    try:
        found = database.con.execute(
            """SELECT count(*) FILTER (WHERE programme_id IS DISTINCT FROM previous),
                      count(DISTINCT programme_id)
               FROM (SELECT programme_id, lag(programme_id) OVER (ORDER BY rowid) AS previous
                     FROM facts)"""
        ).fetchone()
    finally:
        database.close()
    assert found is not None
    runs, programmes = found
    assert programmes > 100
    assert runs <= 2 * programmes  # every programme in one run, but for a few


def test_generator_is_deterministic(tmp_path: Path) -> None:
    generate(500, tmp_path / "a", seed=7)
    generate(500, tmp_path / "b", seed=7)
    for name in ("beneficiaries.csv", "programmes.csv", "places.csv"):
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes()


SCOPE_ARGS = (
    "$year_from::integer, $year_to::integer, $orgs::varchar[], $themes::varchar[], "
    "$countries::varchar[], $groups::varchar[], $programmes::varchar[]"
)
BY = 'unit, measure, year, country_iso3, theme, org_id, "group", programme_id, source_id'
# What the amounts of queries/model/45_amounts.sql read, from the figures and from the rollups.
FACT_AMOUNTS = """bool_or(qualifier = 'at_least') AS at_least,
    bool_or(qualifier = 'about') AS about,
    count(*) FILTER (WHERE is_hidden) AS hidden_facts,
    sum("count") FILTER (WHERE is_distinct) AS distinct_total,
    max("count") FILTER (WHERE NOT is_distinct) AS overlap_max,
    count(*) FILTER (WHERE year_basis = 'inferred') AS inferred_facts"""
ROLLUP_AMOUNTS = """bool_or(at_least) AS at_least, bool_or(about) AS about,
    sum(hidden_facts)::BIGINT AS hidden_facts, sum(distinct_total) AS distinct_total,
    max(overlap_max) AS overlap_max, sum(inferred_facts)::BIGINT AS inferred_facts"""


@pytest.mark.parametrize(
    "filters",
    [
        Filters(),
        Filters(year_from=2018, year_to=2021),
        Filters(groups=("children",)),
        Filters(groups=("all", "women")),
        Filters(themes=("education", "health"), year_from=2020),
    ],
    ids=["all", "years", "children", "all-women", "themes-years"],
)
def test_rollup_counts_like_the_facts(tmp_path: Path, store: Path, filters: Filters) -> None:
    folder = tmp_path / "synthetic"
    generate(3000, folder, seed=3)
    database = cache.open_folder(folder, store)
    try:
        from_facts = database.con.execute(
            f"""SELECT {BY}, counted, sum("count") AS total, count(*) AS facts,
                       {FACT_AMOUNTS},
                       bool_or(is_sensitive) AS has_sensitive
                FROM scoped_facts({SCOPE_ARGS}) GROUP BY ALL""",
            filters.params(),
        ).df()
        from_rollup = database.con.execute(
            f"""SELECT {BY}, counted, sum(total) AS total, sum(facts)::BIGINT AS facts,
                       {ROLLUP_AMOUNTS},
                       bool_or(has_sensitive) AS has_sensitive
                FROM scoped_rollup({SCOPE_ARGS}) GROUP BY ALL""",
            filters.params(),
        ).df()
        assert len(from_facts) > 0 and from_facts["counted"].any()
        pd.testing.assert_frame_equal(
            _comparable(from_facts), _comparable(from_rollup), check_dtype=False
        )
        by_place = BY.replace("source_id", "place_id")
        places_from_facts = database.con.execute(
            f"""SELECT {by_place}, counted, sum("count") AS total, count(*) AS facts,
                       {FACT_AMOUNTS}
                FROM scoped_facts({SCOPE_ARGS}) WHERE place_id IS NOT NULL GROUP BY ALL""",
            filters.params(),
        ).df()
        places_from_rollup = database.con.execute(
            f"""SELECT {by_place}, counted, sum(total) AS total, sum(facts)::BIGINT AS facts,
                       {ROLLUP_AMOUNTS}
                FROM scoped_place_rollup({SCOPE_ARGS}) GROUP BY ALL""",
            filters.params(),
        ).df()
        assert len(places_from_facts) > 0
        pd.testing.assert_frame_equal(
            _comparable(places_from_facts), _comparable(places_from_rollup), check_dtype=False
        )
    finally:
        database.close()


def test_the_distinct_lower_bound_from_the_rollup_equals_the_figures(tmp_path: Path) -> None:
    """reach_total's lower bound, computed on the rollup, is the rule applied to every figure.

    The rule, written here in pandas over the counted figures: per programme and
    country, the distinct figures plus the largest other one; then added up.
    """
    folder = tmp_path / "synthetic"
    generate(3000, folder, seed=11)
    database = Database.open(folder)
    try:
        for filters in (Filters(), Filters(groups=("children",)), Filters(year_from=2021)):
            facts = database.con.execute(
                f"""SELECT programme_id, country_iso3, "count", is_distinct
                    FROM scoped_facts({SCOPE_ARGS})
                    WHERE counted AND unit = 'persons' AND measure = 'reached'
                        AND "count" IS NOT NULL""",
                filters.params(),
            ).df()
            expected = 0.0
            for _key, group in facts.groupby(["programme_id", "country_iso3"]):
                distinct = group.loc[group["is_distinct"], "count"].sum()
                others = group.loc[~group["is_distinct"], "count"]
                expected += float(distinct) + (float(others.max()) if len(others) else 0.0)
            row = database.query(
                "reach_total", {**filters.params(), "unit": "persons", "measure": "reached"}
            ).iloc[0]
            assert float(row["lower"]) == expected, filters
            assert float(row["total"]) == float(facts["count"].sum())
            assert float(row["lower"]) < float(row["total"])  # monthly figures overlap
    finally:
        database.close()


def test_rows_behind_from_the_largest_figures_equal_reading_them_all(tmp_path: Path) -> None:
    """The shortcut through ``largest_facts`` gives exactly the largest rows, or is not taken.

    The table keeps only 40 figures per unit and measure here (200 000 in the app),
    so wide selections are answered from it and narrow ones fall back to every figure.
    """
    folder = tmp_path / "synthetic"
    generate(3000, folder, seed=5)
    database = Database.open(folder, largest_rows=40)
    shortcut: list[bool] = []
    taken: list[bool] = []

    def run(name: str, params: dict[str, object]) -> pd.DataFrame:
        rows = database.query(name, params)
        if name == "counted_facts":
            shortcut.append(bool(params["largest_only"]))
        return rows

    try:
        for filters in [
            Filters(),
            Filters(groups=("children",)),
            Filters(year_from=2020, year_to=2020),
            Filters(themes=("education",), year_from=2022),
            Filters(countries=("BEL",)),
        ]:
            for figure in key_figures(run, filters):
                if figure.filters is None or not figure.facts:
                    continue
                for limit in (10, 25):
                    shortcut.clear()
                    fast = rows_behind(run, figure, limit=limit)
                    every = database.query(
                        "counted_facts",
                        {
                            **figure.filters.params(),
                            "unit": figure.unit,
                            "measure": figure.measure,
                            "limit": limit,
                            "largest_only": False,
                        },
                    )
                    assert list(fast["fact_id"]) == list(every["fact_id"]), (filters, figure.key)
                    assert list(fast["count"].fillna(-1)) == list(every["count"].fillna(-1))
                    taken.append(shortcut == [True])
        assert any(taken) and not all(taken)  # both ways were exercised
    finally:
        database.close()


def test_a_country_lists_its_percentages_from_the_largest_figures_exactly(tmp_path: Path) -> None:
    """A country's figures that are never added up (percentages) are listed one by one,
    the 100 largest, from ``largest_facts``; that table keeps every such figure, even
    where it keeps only the largest of the other units (5 per unit and measure here), so
    the list is the one every figure gives."""
    folder = tmp_path / "synthetic"
    generate(20000, folder, seed=3)
    database = Database.open(folder, largest_rows=5)
    every = """
        SELECT f.unit, f.measure, f."count" AS total, p.name AS programme
        FROM scoped_facts($year_from::INTEGER, $year_to::INTEGER, $orgs::VARCHAR[],
            $themes::VARCHAR[], $countries::VARCHAR[], $groups::VARCHAR[],
            $programmes::VARCHAR[]) AS f
        JOIN programmes AS p USING (programme_id)
        WHERE f.counted AND f.unit IN ('percent', 'items')
        ORDER BY f."count" DESC NULLS LAST, f.fact_id
        LIMIT 100"""
    try:
        percent = database.con.execute(
            "SELECT count(*) FROM facts WHERE unit = 'percent'"
        ).fetchone()
        assert percent is not None and percent[0] > 5  # more than largest_rows keeps
        countries = database.con.execute(
            "SELECT country_iso3 FROM facts WHERE unit = 'percent' "
            "GROUP BY ALL ORDER BY count(*) DESC, country_iso3 LIMIT 3"
        ).fetchall()
        listed = 0
        for (iso3,) in countries:
            for filters in [Filters(countries=(iso3,)), Filters(countries=(iso3,), year_from=2022)]:
                rows = database.query("country_profile_figures", filters.params())
                ones = rows[rows["programme"].notna()].sort_values(
                    ["total", "programme"], ascending=[False, True], na_position="last"
                )
                want = database.con.execute(every, filters.params()).df()
                want = want.sort_values(
                    ["total", "programme"], ascending=[False, True], na_position="last"
                )
                got = list(
                    zip(ones["unit"], ones["total"].fillna(-1), ones["programme"], strict=True)
                )
                assert got == list(
                    zip(want["unit"], want["total"].fillna(-1), want["programme"], strict=True)
                ), filters
                listed += len(got)
        assert listed > 0
    finally:
        database.close()
