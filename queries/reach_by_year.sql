-- One row per year: the total of one unit and measure over the selection.
-- Parameters: the filters ($year_from … $programmes), $unit, $measure.
with
counted as (
    select *
    from scoped_rollup(
        $year_from::integer, $year_to::integer, $orgs::varchar[], $themes::varchar[],
        $countries::varchar[], $groups::varchar[], $programmes::varchar[]
    )
    where counted and unit = $unit and measure = $measure and unit <> 'percent'
),

final as (
    select
        year,
        coalesce(sum(total), 0) as total,
        coalesce(sum(facts), 0)::bigint as facts,
        bool_or(approximate) as approximate,
        coalesce(sum(hidden_facts), 0)::bigint as hidden_facts
    from counted
    group by year
)

select * from final
order by year
