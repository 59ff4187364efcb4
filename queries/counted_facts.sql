-- One row per fact that adds to the total of one unit and measure over the
-- selection: the rows behind a key figure, with their quotes and sources.
-- Only the $limit largest figures: at federation scale a total adds up millions
-- of rows, which no page or file can show (reach_total gives their number).
-- With $largest_only, read only the table of the largest figures (fast; exact
-- when it gives $limit figures with a count, or all of them: impact/figures.py).
-- Parameters: the filters ($year_from … $programmes), $unit, $measure, $limit,
-- $largest_only.
with
counted as (
    select *
    from scoped_largest(
        $year_from::integer, $year_to::integer, $orgs::varchar[], $themes::varchar[],
        $countries::varchar[], $groups::varchar[], $programmes::varchar[]
    )
    where $largest_only::boolean
        and counted and unit = $unit and measure = $measure and unit <> 'percent'
    union all
    select *
    from scoped_facts(
        $year_from::integer, $year_to::integer, $orgs::varchar[], $themes::varchar[],
        $countries::varchar[], $groups::varchar[], $programmes::varchar[]
    )
    where not $largest_only::boolean
        and counted and unit = $unit and measure = $measure and unit <> 'percent'
),

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
        f.is_hidden,
        f.programme_id,
        p.name as programme,
        translated(p.name, p.name_nl) as programme__nl,
        translated(p.name, p.name_en) as programme__en,
        o.name as organisation,
        f.country_iso3,
        c.name_fr as country_fr,
        c.name_nl as country_nl,
        c.name_en as country_en,
        pl.name as place,
        translated(pl.name, pl.name_nl) as place__nl,
        translated(pl.name, pl.name_en) as place__en,
        f.quote,
        f.note,
        s.title as source_title,
        s.publisher as source_publisher,
        s.published as source_published,
        s.document as source_document
    from counted as f
    join programmes as p using (programme_id)
    join organisations as o on o.org_id = f.org_id
    join countries as c on c.iso3 = f.country_iso3
    join sources as s on s.source_id = f.source_id
    left join places as pl on pl.place_id = f.place_id
)

select * from final
order by "count" desc nulls last, fact_id
limit $limit
