-- One row per country: the reach of one unit and measure over the selection
-- (sum, distinct lower bound, qualifiers: queries/model/45_amounts.sql), with the
-- country's names and centroid for maps, how many programmes it adds up, and
-- the first and last year of its figures (a map's title gives the span:
-- the years of reach_by_year's rows, without running it).
-- Parameters: the filters ($year_from … $programmes), $unit, $measure.
with
amounts as (
    select
        country_iso3,
        coalesce(sum(columns('^(total|lower)$')), 0),
        coalesce(
            sum(columns('^(facts|hidden_facts|hidden_small|inferred_facts|source_date_facts)$')), 0
        )::bigint,
        coalesce(bool_or(columns('^(at_least|about|at_most|lower_about)$')), false),
        count(distinct programme_id) as programmes,
        min(first_year) as first_year,
        max(last_year) as last_year
    from reach_sets(
        $year_from::integer, $year_to::integer, $orgs::varchar[], $themes::varchar[],
        $countries::varchar[], $groups::varchar[], $programmes::varchar[],
        $unit, $measure
    )
    group by country_iso3
),

final as (
    select
        c.name_fr,
        c.name_nl,
        c.name_en,
        c.lat,
        c.lon,
        a.*
    from amounts as a
    join countries as c on c.iso3 = a.country_iso3
)

select * from final
order by total desc nulls last, country_iso3
