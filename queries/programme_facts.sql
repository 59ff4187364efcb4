-- The $limit largest figures of one programme that the filters keep, every unit
-- and measure, with quote, source and place; `counted` says whether it adds to
-- totals (a part of a whole in the selection does not). programme_summary.sql
-- says how many there are in all.
-- Parameters: $programme_id, the filters ($year_from … $programmes), $limit.
with
final as (
    select
        f.fact_id,
        f.year,
        f.period_start,
        f.year_basis,
        f."count",
        f.qualifier,
        f.unit,
        f.measure,
        f."group",
        f.part_of,
        f.is_sensitive,
        f.hidden_reason,
        f.quote_withheld,
        f.is_distinct,
        f.country_iso3,
        c.name_fr as country_fr,
        c.name_nl as country_nl,
        c.name_en as country_en,
        f.place_id,
        pl.name as place,
        translated(pl.name, pl.name_nl) as place__nl,
        translated(pl.name, pl.name_en) as place__en,
        pl.lat as place_lat,
        pl.lon as place_lon,
        f.quote,
        f.note,
        s.title as source_title,
        s.publisher as source_publisher,
        s.published as source_published,
        coalesce(in_scope(
            f.first_year, f.year, f.org_id, f.theme, f.country_iso3, f."group", f.programme_id,
            $year_from::integer, $year_to::integer, $orgs::varchar[], $themes::varchar[],
            $countries::varchar[], $groups::varchar[], $programmes::varchar[]
        ), false) as in_selection,
        in_selection and counted_in(
            f.part_of is not null, f.whole_first_year, f.whole_year, f.whole_org_id,
            f.whole_theme, f.whole_country_iso3, f.whole_group, f.whole_programme_id,
            $year_from::integer, $year_to::integer, $orgs::varchar[], $themes::varchar[],
            $countries::varchar[], $groups::varchar[], $programmes::varchar[]
        ) as counted
    from facts as f
    join countries as c on c.iso3 = f.country_iso3
    join sources as s on s.source_id = f.source_id
    left join places as pl on pl.place_id = f.place_id
    where f.programme_id = $programme_id
),

largest as (
    select *
    from final
    where in_selection
    order by "count" desc nulls last, fact_id
    limit $limit
)

select * from largest
order by year desc, unit, measure, "count" desc, fact_id
