-- Reach as people can trust it: the counted figures of one unit and measure,
-- gathered into « sets » that may count the same people twice.
--
-- The convention (data/README.md, « Distinct people »; the « How we count »
-- page): the figures of one programme in one country may reach the same people,
-- across its activities and years, unless the curator marked a figure as other
-- people (`distinct_people`). Different programmes and countries are counted
-- as different people. So over a selection:
--   total = the sum of the figures (activities; a person may count twice);
--   lower = the sum, over the sets, of the set's distinct figures plus its
--           largest other figure: at least that many different people. An
--           « au plus » figure is left out (it may have reached anyone up to its
--           number): a set of « au plus » figures only has lower = 0, no lower
--           bound (impact/amounts.py then shows the sum, « ≤ », and no range).
-- Only units that count people or households can count them twice (persons,
-- families, households); for every other unit (consultations, places, items…)
-- lower = total.
-- reach_sets gives one row per set (programme × country, and unit × measure)
-- with its amounts; a page query adds the sets up by what it shows (theme,
-- country, organisation…: a set never straddles two of them) with the same
-- three lines everywhere:
--     coalesce(sum(columns('^(total|lower)$')), 0),
--     coalesce(sum(columns('^(facts|hidden_facts|hidden_small|inferred_facts|source_date_facts)$')), 0)::bigint,
--     coalesce(bool_or(columns('^(at_least|about|at_most|lower_about)$')), false),
-- Given a unit and a measure, the sets count those; given NULLs, every unit and
-- measure, each apart (profiles). reach_sets_by_year keeps the years apart (bars
-- by year: a set is then a programme × country in one year or period);
-- place_reach_sets are the sets of each place (a programme's places), and
-- place_amounts adds them up by place (maps, place hovers). Every page and export
-- reads its figures here, so they agree.
--
-- Columns: total, lower (see above), facts (figures added), hidden_facts and
-- hidden_small (left out for privacy), at_least / about / at_most (some figure
-- is « plus de » / « environ » / « au plus »), lower_about, inferred_facts and
-- source_date_facts (figures whose year is deduced, or the source's), and the
-- first and last year of the figures.

-- Units whose figures may count the same people twice.
create or replace macro counts_people(unit) as unit in ('persons', 'families', 'households');

-- Units whose figures are never added up (percentages, « items »): never_added(),
-- 20_scope.sql.

-- The lower bound of one set, from rollup rows of any grain (30_rollup.sql).
create or replace macro set_lower(distinct_total, overlap_max) as
    coalesce(sum(distinct_total), 0) + coalesce(max(overlap_max), 0);

-- Whether that lower bound holds an « environ » figure: a distinct one, or the largest
-- other figure when no exact one equals it (largest_is_about, 20_scope.sql).
create or replace macro set_lower_about(distinct_about, overlap_max_about, overlap_max) as
    coalesce(bool_or(distinct_about), false) or largest_is_about(overlap_max, overlap_max_about);

create or replace macro reach_sets(
    year_from, year_to, orgs, themes, countries, groups, programmes, unit_, measure_
) as table
    select
        programme_id, country_iso3, org_id, theme, unit, measure,
        sum(total) as total,
        case when counts_people(unit)
            then set_lower(distinct_total, overlap_max) else sum(total) end as lower,
        sum(facts)::bigint as facts,
        sum(hidden_facts)::bigint as hidden_facts,
        sum(hidden_small)::bigint as hidden_small,
        bool_or(at_least) as at_least,
        bool_or(about) as about,
        bool_or(at_most) as at_most,
        case when counts_people(unit)
            then set_lower_about(distinct_about, overlap_max_about, overlap_max)
            else bool_or(about) end as lower_about,
        sum(inferred_facts)::bigint as inferred_facts,
        sum(source_date_facts)::bigint as source_date_facts,
        min(first_year) as first_year,
        max(year) as last_year
    from scoped_rollup(year_from, year_to, orgs, themes, countries, groups, programmes)
    where counted and not never_added(unit)
        and (unit_ is null or unit = unit_) and (measure_ is null or measure = measure_)
    group by programme_id, country_iso3, org_id, theme, unit, measure;

-- By year: a period (« entre 2010 et 2014 ») is its own row, period_start < period_end.
create or replace macro reach_sets_by_year(
    year_from, year_to, orgs, themes, countries, groups, programmes, unit_, measure_
) as table
    select
        programme_id, country_iso3, unit, measure,
        first_year as period_start,
        year as period_end,
        sum(total) as total,
        case when counts_people(unit)
            then set_lower(distinct_total, overlap_max) else sum(total) end as lower,
        sum(facts)::bigint as facts,
        sum(hidden_facts)::bigint as hidden_facts,
        sum(hidden_small)::bigint as hidden_small,
        bool_or(at_least) as at_least,
        bool_or(about) as about,
        bool_or(at_most) as at_most,
        case when counts_people(unit)
            then set_lower_about(distinct_about, overlap_max_about, overlap_max)
            else bool_or(about) end as lower_about,
        sum(inferred_facts)::bigint as inferred_facts,
        sum(source_date_facts)::bigint as source_date_facts
    from scoped_rollup(year_from, year_to, orgs, themes, countries, groups, programmes)
    where counted and not never_added(unit)
        and (unit_ is null or unit = unit_) and (measure_ is null or measure = measure_)
    group by programme_id, country_iso3, unit, measure, period_start, period_end;

create or replace macro place_reach_sets(
    year_from, year_to, orgs, themes, countries, groups, programmes, unit_, measure_
) as table
    select
        place_id, programme_id, country_iso3, unit, measure,
        sum(total) as total,
        case when counts_people(unit)
            then set_lower(distinct_total, overlap_max) else sum(total) end as lower,
        sum(facts)::bigint as facts,
        sum(hidden_facts)::bigint as hidden_facts,
        sum(hidden_small)::bigint as hidden_small,
        bool_or(at_least) as at_least,
        bool_or(about) as about,
        bool_or(at_most) as at_most,
        case when counts_people(unit)
            then set_lower_about(distinct_about, overlap_max_about, overlap_max)
            else bool_or(about) end as lower_about,
        sum(inferred_facts)::bigint as inferred_facts,
        sum(source_date_facts)::bigint as source_date_facts,
        min(first_year) as first_year,
        max(year) as last_year
    from scoped_place_rollup(year_from, year_to, orgs, themes, countries, groups, programmes)
    where counted and not never_added(unit)
        and (unit_ is null or unit = unit_) and (measure_ is null or measure = measure_)
    group by place_id, programme_id, country_iso3, unit, measure;

-- The sets of each place added up by place, unit and measure, as a page query adds
-- place_reach_sets up with the three lines above (queries/place_figures.sql, the maps'
-- reach at every place). Only a set's lower bound needs the set; every other amount is
-- summed by place at once. At 10 million figures a year filter leaves 916,226 rollup
-- rows in 134,697 sets at 4,746 places: making each set's thirteen amounts first took
-- 0.24 s, this 0.15 s (same rows: tests/test_queries.py compares the two).
create or replace macro place_amounts(
    year_from, year_to, orgs, themes, countries, groups, programmes
) as table
    with
    counted_rows as (
        select *
        from scoped_place_rollup(year_from, year_to, orgs, themes, countries, groups, programmes)
        where counted and not never_added(unit)
    ),
    sets as (
        select
            place_id, unit, measure,
            set_lower(distinct_total, overlap_max) as lower,
            set_lower_about(distinct_about, overlap_max_about, overlap_max) as lower_about
        from counted_rows
        where counts_people(unit)
        group by place_id, programme_id, country_iso3, unit, measure
    ),
    people as (
        select place_id, unit, measure, sum(lower) as lower, bool_or(lower_about) as lower_about
        from sets
        group by place_id, unit, measure
    ),
    sums as (
        select
            place_id, unit, measure,
            sum(total) as total,
            sum(facts)::bigint as facts,
            sum(hidden_facts)::bigint as hidden_facts,
            sum(hidden_small)::bigint as hidden_small,
            bool_or(at_least) as at_least,
            bool_or(about) as about,
            bool_or(at_most) as at_most,
            sum(inferred_facts)::bigint as inferred_facts,
            sum(source_date_facts)::bigint as source_date_facts,
            min(first_year) as first_year,
            max(year) as last_year
        from counted_rows
        group by place_id, unit, measure
    )
    select
        s.place_id, s.unit, s.measure,
        coalesce(s.total, 0) as total,
        coalesce(case when counts_people(s.unit) then p.lower else s.total end, 0) as lower,
        coalesce(s.facts, 0) as facts,
        coalesce(s.hidden_facts, 0) as hidden_facts,
        coalesce(s.hidden_small, 0) as hidden_small,
        coalesce(s.inferred_facts, 0) as inferred_facts,
        coalesce(s.source_date_facts, 0) as source_date_facts,
        coalesce(s.at_least, false) as at_least,
        coalesce(s.about, false) as about,
        coalesce(s.at_most, false) as at_most,
        coalesce(
            case when counts_people(s.unit) then p.lower_about else s.about end, false
        ) as lower_about,
        s.first_year,
        s.last_year
    from sums as s
    left join people as p using (place_id, unit, measure);
