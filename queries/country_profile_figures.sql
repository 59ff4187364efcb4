-- One row per unit and measure: the total of the figures of the selection
-- (a country profile passes its country in $countries); percentages left out.
-- Parameters: the filters ($year_from … $programmes).
with
counted as (
    select *
    from scoped_rollup(
        $year_from::integer, $year_to::integer, $orgs::varchar[], $themes::varchar[],
        $countries::varchar[], $groups::varchar[], $programmes::varchar[]
    )
    where counted and unit <> 'percent'
),

final as (
    select
        unit,
        measure,
        sum(total) as total,
        sum(facts)::bigint as facts,
        bool_or(approximate) as approximate
    from counted
    group by unit, measure
)

select * from final
order by measure, total desc, unit
