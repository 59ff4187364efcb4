-- One row per country of one programme's figures in the selection, with its
-- names and the programme's persons reached there (counted as on every page).
-- Parameters: $programme_id and the filters ($year_from … $programmes).
with
scoped as (
    select *
    from scoped_rollup(
        $year_from::integer, $year_to::integer, $orgs::varchar[], $themes::varchar[],
        $countries::varchar[], $groups::varchar[], $programmes::varchar[]
    )
    where programme_id = $programme_id
),

reach as (
    select
        country_iso3,
        coalesce(
            sum(total) filter (where counted and unit = 'persons' and measure = 'reached'), 0
        ) as total
    from scoped
    group by country_iso3
),

final as (
    select
        r.country_iso3,
        c.name_fr,
        c.name_nl,
        c.name_en,
        r.total
    from reach as r
    join countries as c on c.iso3 = r.country_iso3
)

select * from final
order by country_iso3
