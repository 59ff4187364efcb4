-- One row per place, unit and measure of one programme's figures in the
-- selection: the amounts of the counted figures (queries/model/45_amounts.sql;
-- percentages left out), with the place's name, region, country and
-- coordinates, for the programme's map; and one row (unit NULL) per place where
-- its organisation works in its countries without a figure named there. Both
-- give the place's name and region in Dutch and English (`__nl`, `__en`):
-- `localize` takes them whatever the row.
-- Parameters: $programme_id and the filters ($year_from … $programmes).
with
by_unit as (
    select
        place_id,
        unit,
        measure,
        coalesce(sum(columns('^(total|lower)$')), 0),
        coalesce(
            sum(columns('^(facts|hidden_facts|hidden_small|inferred_facts|source_date_facts)$')), 0
        )::bigint,
        coalesce(bool_or(columns('^(at_least|about|at_most|lower_about)$')), false)
    from place_reach_sets(
        $year_from::integer, $year_to::integer, $orgs::varchar[], $themes::varchar[],
        $countries::varchar[], $groups::varchar[], $programmes::varchar[],
        null, null
    )
    where programme_id = $programme_id
    group by place_id, unit, measure
),

-- where the organisation works in the programme's countries, no figure named there
worked as (
    select place_id
    from programme_places_in_scope(
        $year_from::integer, $year_to::integer, $orgs::varchar[], $themes::varchar[],
        $countries::varchar[], $groups::varchar[], $programmes::varchar[],
        $programme_id
    )
    where not named
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
        b.* exclude (place_id)
    from by_unit as b
    join places as pl using (place_id)
    join countries as c on c.iso3 = pl.country_iso3
    union all by name
    select
        w.place_id,
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
        pl.lon
    from worked as w
    join places as pl using (place_id)
    join countries as c on c.iso3 = pl.country_iso3
)

select * from final
order by name, place_id, total desc nulls last, unit, measure
