-- One row per place, unit and measure of one programme's figures in the
-- selection: the total of the counted figures (percentages left out), with the
-- place's name, region, country and coordinates, for the programme's map.
-- Parameters: $programme_id and the filters ($year_from … $programmes).
with
scoped as (
    select *
    from scoped_place_rollup(
        $year_from::integer, $year_to::integer, $orgs::varchar[], $themes::varchar[],
        $countries::varchar[], $groups::varchar[], $programmes::varchar[]
    )
    where programme_id = $programme_id
),

by_unit as (
    select
        place_id,
        unit,
        measure,
        sum(total) filter (where counted and unit <> 'percent') as total,
        sum(facts)::bigint as facts,
        bool_or(approximate) filter (where counted and unit <> 'percent') as approximate
    from scoped
    group by place_id, unit, measure
),

final as (
    select
        b.place_id,
        pl.name,
        translated(pl.name, pl.name_nl) as name__nl,
        translated(pl.name, pl.name_en) as name__en,
        pl.admin1,
        translated(pl.admin1, pl.admin1_nl) as admin1__nl,
        translated(pl.admin1, pl.admin1_en) as admin1__en,
        pl.country_iso3,
        c.name_fr,
        c.name_nl,
        c.name_en,
        pl.lat,
        pl.lon,
        b.unit,
        b.measure,
        coalesce(b.total, 0) as total,
        b.facts,
        coalesce(b.approximate, false) as approximate
    from by_unit as b
    join places as pl using (place_id)
    join countries as c on c.iso3 = pl.country_iso3
)

select * from final
order by name, place_id, total desc, unit, measure
