-- One row per place, unit and measure: the total of the figures of the
-- selection reported at the place (percentages left out: they never add up).
-- Parameters: the filters ($year_from … $programmes).
with
counted as (
    select *
    from scoped_place_rollup(
        $year_from::integer, $year_to::integer, $orgs::varchar[], $themes::varchar[],
        $countries::varchar[], $groups::varchar[], $programmes::varchar[]
    )
    where counted and unit <> 'percent'
),

final as (
    select
        place_id,
        unit,
        measure,
        sum(total) as total,
        sum(facts)::bigint as facts,
        bool_or(approximate) as approximate
    from counted
    group by place_id, unit, measure
)

select * from final
order by place_id, total desc, unit, measure
