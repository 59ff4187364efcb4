-- One row per place in the selection: a place where a figure of the selection
-- was reported, or a place where an organisation of the selection works. Gives
-- the number of programmes with figures there and the names of the five with
-- the most figures (a federation's capital city can count hundreds), and the
-- organisations based there, for maps. The reach at each place is not here:
-- `place_figures` has every unit and measure of each place, and
-- impact/explore.py places_reach takes the one a map shows from it (the same
-- sets summed a second time here took 100 of this query's 170 ms at 10 million
-- figures, beside `place_figures` on the other core).
-- Parameters: the filters ($year_from … $programmes).
with
scoped as (
    select *
    from scoped_place_rollup(
        $year_from::integer, $year_to::integer, $orgs::varchar[], $themes::varchar[],
        $countries::varchar[], $groups::varchar[], $programmes::varchar[]
    )
),

orgs_selected as (
    select org_id, name
    from organisations_in_scope(
        $year_from::integer, $year_to::integer, $orgs::varchar[], $themes::varchar[],
        $countries::varchar[], $groups::varchar[], $programmes::varchar[]
    )
),

-- one row per place and programme with figures there: the place's programmes
by_programme as (
    select place_id, programme_id, sum(facts)::bigint as facts
    from scoped
    group by place_id, programme_id
),

figures_at as (
    select place_id, sum(facts)::bigint as facts, count(*) as programme_count
    from by_programme
    group by place_id
),

programme_figures as (
    select place_id, programme_id
    from by_programme
    qualify row_number() over (partition by place_id order by facts desc, programme_id) <= 5
),

programmes_at as (
    select
        s.place_id,
        string_agg(p.name, ' · ' order by p.name) as programmes,
        string_agg(translated(p.name, p.name_nl), ' · ' order by p.name) as programmes__nl,
        string_agg(translated(p.name, p.name_en), ' · ' order by p.name) as programmes__en
    from programme_figures as s
    join programmes as p using (programme_id)
    group by s.place_id
),

organisations_at as (
    select op.place_id, string_agg(distinct o.name, ' · ' order by o.name) as organisations
    from organisation_places as op
    join orgs_selected as o using (org_id)
    group by op.place_id
),

final as (
    select
        pl.place_id,
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
        coalesce(f.facts, 0) as facts,
        coalesce(f.programme_count, 0) as programme_count,
        coalesce(pa.programmes, '') as programmes,
        coalesce(pa.programmes__nl, '') as programmes__nl,
        coalesce(pa.programmes__en, '') as programmes__en,
        coalesce(oa.organisations, '') as organisations
    from places as pl
    join countries as c on c.iso3 = pl.country_iso3
    left join figures_at as f using (place_id)
    left join programmes_at as pa using (place_id)
    left join organisations_at as oa using (place_id)
    where
        f.place_id is not null
        or (
            oa.place_id is not null
            and (len($countries::varchar[]) = 0 or list_contains($countries::varchar[], pl.country_iso3))
        )
)

select * from final
order by name, place_id
