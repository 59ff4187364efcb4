-- One row per theme and year: the total of one unit and measure over the
-- selection (a country profile passes its country in $countries).
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
        theme,
        year,
        sum(total) as total,
        sum(facts)::bigint as facts,
        bool_or(approximate) as approximate
    from counted
    group by theme, year
)

select * from final
order by year, total desc, theme
