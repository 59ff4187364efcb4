-- One row per figure of one unit and measure that adds to the selection's total
-- (the material of a ready-to-paste sentence: a sentence states one figure, never
-- a sum of activities that may count the same people twice), with the children
-- it includes (« dont »: the sum of its visible parts of group children, table
-- fact_children, 33_fact_children.sql), its programme, organisation, country,
-- place, year as the source gives it (year_basis, period_start) and source; the
-- programme's and the place's names also in Dutch and English (`__nl`, `__en`).
-- `sentences` says how many such figures there are in all, of which the $limit
-- largest are given (NULL: all).
-- With $largest_only, read only the table of the largest figures (see
-- counted_facts.sql and impact/figures.py).
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
        and "count" is not null
    union all
    select *
    from scoped_facts(
        $year_from::integer, $year_to::integer, $orgs::varchar[], $themes::varchar[],
        $countries::varchar[], $groups::varchar[], $programmes::varchar[]
    )
    where not $largest_only::boolean
        and counted and unit = $unit and measure = $measure and unit <> 'percent'
        and "count" is not null
),

chosen as (
    select *, count(*) over () as sentences
    from counted
    order by "count" desc, fact_id
    limit $limit::bigint
),

final as (
    select
        c.fact_id,
        c.year,
        c.period_start,
        c.year_basis,
        c."count",
        c.qualifier,
        c."group",
        c.unit,
        c.measure,
        c.programme_id,
        p.name as programme,
        translated(p.name, p.name_nl) as programme__nl,
        translated(p.name, p.name_en) as programme__en,
        o.name as organisation,
        o.article_fr as organisation_article_fr,
        c.country_iso3,
        k.name_fr as country_fr,
        k.name_nl as country_nl,
        k.name_en as country_en,
        pl.name as place,
        translated(pl.name, pl.name_nl) as place__nl,
        translated(pl.name, pl.name_en) as place__en,
        c.source_id,
        s.publisher as source_publisher,
        s.title as source_title,
        s.published as source_published,
        h.children,
        coalesce(h.children_at_least, false) as children_at_least,
        coalesce(h.children_about, false) as children_about,
        c.sentences
    from chosen as c
    join programmes as p using (programme_id)
    join organisations as o on o.org_id = c.org_id
    join countries as k on k.iso3 = c.country_iso3
    join sources as s on s.source_id = c.source_id
    left join places as pl on pl.place_id = c.place_id
    left join fact_children as h using (fact_id)
)

select * from final
order by "count" desc, fact_id
