-- One row per year, organisation, theme and country of the selection: the total
-- of one unit and measure (the material of a ready-to-paste sentence), the
-- children among them counted with the same rule as the « of whom children »
-- key figure, and the ids of the sources of those figures; `cells` says how many
-- rows there are in all, of which the $limit largest are given (NULL: all).
-- Parameters: the filters ($year_from … $programmes), $unit, $measure, $limit.
with
counted as (
    select *
    from scoped_rollup(
        $year_from::integer, $year_to::integer, $orgs::varchar[], $themes::varchar[],
        $countries::varchar[], $groups::varchar[], $programmes::varchar[]
    )
    where counted and unit = $unit and measure = $measure and unit <> 'percent'
),

children as (
    select *
    from scoped_rollup(
        $year_from::integer, $year_to::integer, $orgs::varchar[], $themes::varchar[],
        $countries::varchar[], ['children']::varchar[], $programmes::varchar[]
    )
    where
        counted and unit = $unit and measure = $measure and unit <> 'percent'
        and (len($groups::varchar[]) = 0 or list_contains($groups::varchar[], 'children'))
),

cells as (
    select
        year,
        org_id,
        theme,
        country_iso3,
        sum(total)::bigint as total,
        -- a figure hidden for privacy (NULL count) makes the total a lower bound
        bool_or(approximate or hidden_facts > 0) as approximate,
        count(*) over () as cells
    from counted
    group by year, org_id, theme, country_iso3
    having sum(total) is not null
    order by total desc, year desc, org_id, theme, country_iso3
    limit $limit::bigint
),

-- sources and children only for the cells given: a federation has tens of thousands
cell_sources as (
    select
        year,
        org_id,
        theme,
        country_iso3,
        list(distinct source_id order by source_id) as source_ids
    from counted
    semi join cells using (year, org_id, theme, country_iso3)
    group by year, org_id, theme, country_iso3
),

children_cells as (
    select
        year,
        org_id,
        theme,
        country_iso3,
        sum(total)::bigint as children,
        bool_or(approximate or hidden_facts > 0) as children_approximate
    from children
    semi join cells using (year, org_id, theme, country_iso3)
    group by year, org_id, theme, country_iso3
    having sum(total) is not null
),

final as (
    select
        c.year,
        c.org_id,
        o.name as organisation,
        c.theme,
        c.country_iso3,
        k.name_fr as country_fr,
        k.name_nl as country_nl,
        k.name_en as country_en,
        c.total,
        c.approximate,
        h.children,
        coalesce(h.children_approximate, false) as children_approximate,
        cs.source_ids,
        c.cells
    from cells as c
    join cell_sources as cs using (year, org_id, theme, country_iso3)
    join organisations as o on o.org_id = c.org_id
    join countries as k on k.iso3 = c.country_iso3
    left join children_cells as h
        on h.year = c.year and h.org_id = c.org_id and h.theme = c.theme
        and h.country_iso3 = c.country_iso3
)

select * from final
order by total desc, year desc, org_id, theme, country_iso3
