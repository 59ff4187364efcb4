-- One row per theme: the reach of one unit and measure over the selection
-- (sum, distinct lower bound, qualifiers: queries/model/45_amounts.sql).
-- Parameters: the filters ($year_from … $programmes), $unit, $measure.
with
final as (
    select
        theme,
        coalesce(sum(columns('^(total|lower)$')), 0),
        coalesce(
            sum(columns('^(facts|hidden_facts|hidden_small|inferred_facts|source_date_facts)$')), 0
        )::bigint,
        coalesce(bool_or(columns('^(at_least|about|at_most|lower_about)$')), false)
    from reach_sets(
        $year_from::integer, $year_to::integer, $orgs::varchar[], $themes::varchar[],
        $countries::varchar[], $groups::varchar[], $programmes::varchar[],
        $unit, $measure
    )
    group by theme
)

select * from final
order by total desc nulls last, theme
