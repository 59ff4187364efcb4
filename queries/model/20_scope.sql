-- The counting rules, written once. Every page query selects from these macros.
--
-- in_scope: does a fact with these attributes match the filters? An empty list
--   or a null year bound means « no filter ». A figure covers the years
--   first_year..year (one year, or a period « entre 2010 et 2014 »): it matches
--   a year filter only when the whole period is inside it, so a figure of
--   2010-2014 is never shown as the reach of 2012.
-- scoped_facts: the facts matching the filters, each with `counted`: true when
--   the fact adds to a total. A part (« 3 189 enfants » dont of « 10 378
--   personnes ») is counted only when its whole is outside the selection, so a
--   total never adds a part to its whole. Totals must still group or filter by
--   unit and measure: families never add to persons, percentages never add up.
-- never_added: units whose figures are never added up: percentages, and « items »,
--   which name things of every kind (brochures, posters, the themes of a plan):
--   3 brochures and 17 themes are not « 20 items ». They are listed one by one
--   instead (every such figure is kept in largest_facts, 32_largest_facts.sql).
create or replace macro never_added(unit) as unit in ('percent', 'items');

-- lower_count: a figure's count as a lower bound of the people it reached; none for
--   « au plus » (it may have reached anyone up to its number). The rollups' lower
--   bound parts read it (30_rollup.sql, 31_place_rollup.sql).
create or replace macro lower_count(qualifier, n) as
    case when qualifier is distinct from 'at_most' then n end;

-- largest_is_about: over a group's rows, whether its largest `value` is « environ »:
--   when no exact one (`is_about` false) is as large. « environ 500 » and « 500 »
--   give an exact 500, whatever the rows' order (arg_max picked one of equals by it,
--   and the mark came and went from one run to the next). NULL values are no rows;
--   no row at all: false. For a figure's largest (the rollups) and a set's
--   (set_lower_about, 45_amounts.sql).
create or replace macro largest_is_about(value, is_about) as
    coalesce(
        max(value) > max(case when not is_about then value end),
        max(value) is not null
    );

create or replace macro in_scope(
    first_year, year, org_id, theme, country_iso3, grp, programme_id,
    year_from, year_to, orgs, themes, countries, groups, programmes
) as
    (year_from is null or first_year >= year_from)
    and (year_to is null or year <= year_to)
    and (len(orgs) = 0 or list_contains(orgs, org_id))
    and (len(themes) = 0 or list_contains(themes, theme))
    and (len(countries) = 0 or list_contains(countries, country_iso3))
    and (len(groups) = 0 or list_contains(groups, grp))
    and (len(programmes) = 0 or list_contains(programmes, programme_id));

-- counted_in: does a fact of the selection add to its totals? A whole or a
--   fact on its own does; a part does when its whole is outside the selection.
--   Used by every scoped_* macro, so the rule has one text.
create or replace macro counted_in(
    is_part, whole_first_year, whole_year, whole_org_id, whole_theme, whole_country_iso3,
    whole_group, whole_programme_id, year_from, year_to, orgs, themes, countries, groups,
    programmes
) as
    not is_part or not coalesce(in_scope(
        whole_first_year, whole_year, whole_org_id, whole_theme, whole_country_iso3, whole_group,
        whole_programme_id, year_from, year_to, orgs, themes, countries, groups, programmes
    ), false);

create or replace macro scoped_facts(year_from, year_to, orgs, themes, countries, groups, programmes) as table
    select
        f.*,
        counted_in(
            f.part_of is not null, f.whole_first_year, f.whole_year, f.whole_org_id,
            f.whole_theme, f.whole_country_iso3, f.whole_group, f.whole_programme_id,
            year_from, year_to, orgs, themes, countries, groups, programmes
        ) as counted
    from facts as f
    where in_scope(
        f.first_year, f.year, f.org_id, f.theme, f.country_iso3, f."group", f.programme_id,
        year_from, year_to, orgs, themes, countries, groups, programmes
    );

-- What « in the selection » means — written here once, used by every count and
-- list of every page (the « How we count » page says it in words):
-- * a programme is in the selection when it has a figure in it; a programme that
--   publishes no figure at all is in it when its own country, organisation and
--   theme match, no group is chosen (it has no group), and, when years are
--   chosen, its own years are known and meet them (a programme with no years
--   and no figure is never « of 2011 »);
-- * an organisation, when it runs a programme of the selection (or runs none and
--   only organisations or countries are chosen);
-- * a country, when a figure of the selection is there or a programme of the
--   selection has it as its own country (countries_in_scope, 40_rollup_scope.sql);
-- * a place, when a figure of the selection names it or an organisation of the
--   selection works there (places_reach.sql, programme_places.sql).
--
-- Programmes in the selection: those with a fact in it, and those without any
-- figure whose own country and years match (see above), among the
-- candidates the organisation, theme and programme filters leave. Two
-- branches joined by UNION ALL (they never share a programme) rather than one
-- OR: DuckDB turns each IN into a semi join then, twice as fast at 10M rows.
create or replace macro programmes_in_scope(year_from, year_to, orgs, themes, countries, groups, programmes) as table
    with candidates as (
        select p.*
        from programmes as p
        where
            (len(orgs) = 0 or list_contains(orgs, p.org_id))
            and (len(themes) = 0 or list_contains(themes, p.theme))
            and (len(programmes) = 0 or list_contains(programmes, p.programme_id))
    )
    select c.*
    from candidates as c
    where c.programme_id in (
        select s.programme_id
        from scoped_rollup(year_from, year_to, orgs, themes, countries, groups, programmes) as s
    )
    union all
    select c.*
    from candidates as c
    where
        c.programme_id not in (select programme_id from programme_figure_countries)
        and len(groups) = 0
        and (len(countries) = 0 or list_contains(countries, c.country_iso3))
        and (year_from is null or coalesce(c.end_year, c.start_year) >= year_from)
        and (year_to is null or coalesce(c.start_year, c.end_year) <= year_to);

-- Organisations that run no programme, when the selection keeps them: only
-- organisations or countries are filtered (no year, theme, group or programme
-- says anything of an organisation without a programme). organisations_in_scope
-- adds them to those running a programme; the list of countries counts them in
-- their own country (countries_list.sql) without reading the programmes' scope.
create or replace macro organisations_without_programme(year_from, year_to, orgs, themes, countries, groups, programmes) as table
    select o.*
    from organisations as o
    where
        o.org_id not in (select org_id from programmes)
        and year_from is null and year_to is null
        and len(themes) = 0 and len(groups) = 0 and len(programmes) = 0
        and (len(orgs) = 0 or list_contains(orgs, o.org_id))
        and (len(countries) = 0 or list_contains(countries, o.country_iso3));

-- Organisations in the selection: those running a programme in it, and those
-- with no programme at all when only organisations or countries are filtered.
create or replace macro organisations_in_scope(year_from, year_to, orgs, themes, countries, groups, programmes) as table
    select o.*
    from organisations as o
    where
        (len(orgs) = 0 or list_contains(orgs, o.org_id))
        and o.org_id in (
            select p.org_id
            from programmes_in_scope(year_from, year_to, orgs, themes, countries, groups, programmes) as p
        )
    union all
    select *
    from organisations_without_programme(year_from, year_to, orgs, themes, countries, groups, programmes);
