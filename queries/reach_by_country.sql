-- One row per country: the total of one unit and measure over the selection,
-- with the country's names and centroid for maps.
-- Parameters: the filters ($year_from … $programmes), $unit, $measure.
with
counted as (
    select *
    from scoped_rollup(
        $year_from::integer, $year_to::integer, $orgs::varchar[], $themes::varchar[],
        $countries::varchar[], $groups::varchar[], $programmes::varchar[]
    )
    where counted and unit = $unit and measure = $measure and unit <> 'percent'
),

by_country as (
    select
        country_iso3,
        coalesce(sum(total), 0) as total,
        coalesce(sum(facts), 0)::bigint as facts,
        count(distinct programme_id) as programmes,
        bool_or(approximate) as approximate,
        coalesce(sum(hidden_facts), 0)::bigint as hidden_facts
    from counted
    group by country_iso3
),

final as (
    select
        b.country_iso3,
        c.name_fr,
        c.name_nl,
        c.name_en,
        c.lat,
        c.lon,
        b.total,
        b.facts,
        b.programmes,
        b.approximate,
        b.hidden_facts
    from by_country as b
    join countries as c on c.iso3 = b.country_iso3
)

select * from final
order by total desc, country_iso3
