-- One row: the total of one unit and measure over the selection, counting each
-- fact once (parts of a counted whole are left out), and whether the total is a
-- lower bound (some figure is « plus de … » or hidden for privacy: `hidden_facts`).
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
        coalesce(sum(total), 0) as total,
        coalesce(sum(facts), 0)::bigint as facts,
        coalesce(bool_or(approximate), false) as approximate,
        coalesce(bool_or(has_sensitive), false) as has_sensitive,
        coalesce(sum(hidden_facts), 0)::bigint as hidden_facts
    from counted
)

select * from final
