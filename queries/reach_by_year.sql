-- One row per year, and one per period (« entre 2010 et 2014 »: period_start <
-- period_end), with the reach of one unit and measure over the selection (sum,
-- distinct lower bound, qualifiers, how many years are inferred or the source's:
-- queries/model/45_amounts.sql).
-- Parameters: the filters ($year_from … $programmes), $unit, $measure.
with
final as (
    select
        period_start,
        period_end,
        coalesce(sum(columns('^(total|lower)$')), 0),
        coalesce(
            sum(columns('^(facts|hidden_facts|hidden_small|inferred_facts|source_date_facts)$')), 0
        )::bigint,
        coalesce(bool_or(columns('^(at_least|about|at_most|lower_about)$')), false)
    from reach_sets_by_year(
        $year_from::integer, $year_to::integer, $orgs::varchar[], $themes::varchar[],
        $countries::varchar[], $groups::varchar[], $programmes::varchar[],
        $unit, $measure
    )
    group by period_start, period_end
)

select * from final
order by period_end, period_start
