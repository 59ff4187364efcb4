-- One row per country of one programme's figures in the selection, with its
-- names and the programme's persons reached there (counted as on every page,
-- queries/model/45_amounts.sql; no row of reach: no such figure there).
-- Parameters: $programme_id and the filters ($year_from … $programmes).
with
countries_of_figures as (
    select distinct country_iso3
    from scoped_rollup(
        $year_from::integer, $year_to::integer, $orgs::varchar[], $themes::varchar[],
        $countries::varchar[], $groups::varchar[], $programmes::varchar[]
    )
    where programme_id = $programme_id
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
        'persons', 'reached'
    )
    where programme_id = $programme_id
    group by country_iso3
),

final as (
    select
        k.country_iso3,
        c.name_fr,
        c.name_nl,
        c.name_en,
        r.* exclude (country_iso3)
    from countries_of_figures as k
    join countries as c on c.iso3 = k.country_iso3
    left join reach as r using (country_iso3)
)

select * from final
order by country_iso3
