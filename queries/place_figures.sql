-- One row per place, unit and measure: the amounts of the figures of the
-- selection reported at the place (queries/model/45_amounts.sql; percentages
-- left out: they never add up).
-- Parameters: the filters ($year_from … $programmes).
with
final as (
    select
        place_id,
        unit,
        measure,
        coalesce(sum(columns('^(total|lower)$')), 0),
        coalesce(
            sum(columns('^(facts|hidden_facts|hidden_small|inferred_facts|source_date_facts)$')), 0
        )::bigint,
        coalesce(bool_or(columns('^(at_least|about|at_most|lower_about)$')), false)
    from place_reach_sets(
        $year_from::integer, $year_to::integer, $orgs::varchar[], $themes::varchar[],
        $countries::varchar[], $groups::varchar[], $programmes::varchar[],
        null, null
    )
    group by place_id, unit, measure
)

select * from final
order by place_id, total desc nulls last, unit, measure
