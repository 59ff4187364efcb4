-- One row per country in the selection: a country with a figure of the
-- selection or with a programme of the selection. Gives the total of one unit
-- and measure, and how many programmes, organisations and places it counts.
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

-- A programme works in its own country and in the countries of its figures.
programme_countries as (
    select programme_id, org_id, country_iso3
    from programmes_selected
    where country_iso3 is not null
        and (len($countries::varchar[]) = 0 or list_contains($countries::varchar[], country_iso3))
    union
    select programme_id, org_id, country_iso3
    from scoped
),

reach as (
    select
        country_iso3,
        sum(total) filter (
            where counted and unit = $unit and measure = $measure and unit <> 'percent'
        ) as total,
        bool_or(approximate) filter (
            where counted and unit = $unit and measure = $measure and unit <> 'percent'
        ) as approximate,
        sum(facts)::bigint as facts
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
        coalesce(r.total, 0) as total,
        coalesce(r.approximate, false) as approximate,
        coalesce(r.facts, 0) as facts,
        coalesce(ps.places, 0) as places,
        n.programmes,
        n.organisations
    from counts as n
    join countries as c on c.iso3 = n.country_iso3
    left join reach as r using (country_iso3)
    left join places_scoped as ps using (country_iso3)
)

select * from final
order by total desc, programmes desc, country_iso3
