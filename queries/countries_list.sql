-- One row per country in the selection (countries_in_scope, 20_scope.sql: a
-- figure of the selection is there, or a programme of the selection has it as
-- its own country). Gives the total of one unit
-- and measure (sum, distinct lower bound, qualifiers: queries/model/45_amounts.sql;
-- reach_facts = 0: no such figure), and how many programmes, organisations and
-- places it counts.
-- Parameters: the filters ($year_from … $programmes), $unit, $measure.
with
scoped as (
    select *
    from scoped_rollup(
        $year_from::integer, $year_to::integer, $orgs::varchar[], $themes::varchar[],
        $countries::varchar[], $groups::varchar[], $programmes::varchar[]
    )
),

places_scoped as (
    select country_iso3, count(distinct place_id) as places
    from scoped_place_rollup(
        $year_from::integer, $year_to::integer, $orgs::varchar[], $themes::varchar[],
        $countries::varchar[], $groups::varchar[], $programmes::varchar[]
    )
    group by country_iso3
),

programmes_selected as (
    select *
    from programmes_in_scope(
        $year_from::integer, $year_to::integer, $orgs::varchar[], $themes::varchar[],
        $countries::varchar[], $groups::varchar[], $programmes::varchar[]
    )
),

-- A programme works in its own country and in the countries of its figures. An
-- organisation that runs no programme counts in its own country when the selection
-- keeps it (organisations_without_programme, 20_scope.sql): the country's profile and
-- the key figures count it, and this list said 27 organisations in Belgium where they
-- say 32.
programme_countries as (
    select programme_id, org_id, country_iso3
    from programmes_selected
    where country_iso3 is not null
        and (len($countries::varchar[]) = 0 or list_contains($countries::varchar[], country_iso3))
    union
    select programme_id, org_id, country_iso3
    from scoped
    union
    select null as programme_id, org_id, country_iso3
    from organisations_without_programme(
        $year_from::integer, $year_to::integer, $orgs::varchar[], $themes::varchar[],
        $countries::varchar[], $groups::varchar[], $programmes::varchar[]
    )
),

reach as (
    select
        country_iso3,
        coalesce(sum(columns('^(total|lower)$')), 0),
        coalesce(
            sum(columns('^(facts|hidden_facts|hidden_small|inferred_facts|source_date_facts)$')), 0
        )::bigint,
        coalesce(bool_or(columns('^(at_least|about|at_most|lower_about)$')), false)
    from reach_sets(
        $year_from::integer, $year_to::integer, $orgs::varchar[], $themes::varchar[],
        $countries::varchar[], $groups::varchar[], $programmes::varchar[],
        $unit, $measure
    )
    group by country_iso3
),

figures as (
    select country_iso3, sum(facts)::bigint as facts
    from scoped
    group by country_iso3
),

counts as (
    select
        country_iso3,
        count(distinct programme_id) as programmes,
        count(distinct org_id) as organisations
    from programme_countries
    group by country_iso3
),

final as (
    select
        c.iso3 as country_iso3,
        c.name_fr,
        c.name_nl,
        c.name_en,
        c.region,
        c.lat,
        c.lon,
        -- the reach (no row: no such figure, every column NULL, never 0)
        r.* exclude (country_iso3) rename (facts as reach_facts),
        coalesce(f.facts, 0) as facts,
        coalesce(ps.places, 0) as places,
        coalesce(n.programmes, 0) as programmes,
        coalesce(n.organisations, 0) as organisations
    from countries_in_scope(
        $year_from::integer, $year_to::integer, $orgs::varchar[], $themes::varchar[],
        $countries::varchar[], $groups::varchar[], $programmes::varchar[]
    ) as k
    join countries as c on c.iso3 = k.country_iso3
    left join counts as n on n.country_iso3 = k.country_iso3
    left join reach as r on r.country_iso3 = k.country_iso3
    left join figures as f on f.country_iso3 = k.country_iso3
    left join places_scoped as ps on ps.country_iso3 = k.country_iso3
)

select * from final
order by total desc nulls last, programmes desc, country_iso3
