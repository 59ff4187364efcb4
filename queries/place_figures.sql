-- One row per place, unit and measure: the total of the figures of the
-- selection reported at the place (percentages left out: they never add up).
-- Parameters: the filters ($year_from … $programmes).
with
counted as (
    select *
    from scoped_facts(
        $year_from::integer, $year_to::integer, $orgs::varchar[], $themes::varchar[],
        $countries::varchar[], $groups::varchar[], $programmes::varchar[]
    )
    where counted and place_id is not null and unit <> 'percent'
),

final as (
    select
        place_id,
        unit,
        measure,
        sum("count") as total,
        count(*) as facts,
        bool_or(qualifier in ('at_least', 'about')) as approximate
    from counted
    group by place_id, unit, measure
)

select * from final
order by place_id, total desc, unit, measure
