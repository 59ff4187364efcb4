-- One row per place, unit and measure: the amounts of the figures of the
-- selection reported at the place (place_amounts, queries/model/45_amounts.sql:
-- place_reach_sets added up by place; percentages left out: they never add up).
-- Parameters: the filters ($year_from … $programmes).
with
final as (
    select * exclude (first_year, last_year)
    from place_amounts(
        $year_from::integer, $year_to::integer, $orgs::varchar[], $themes::varchar[],
        $countries::varchar[], $groups::varchar[], $programmes::varchar[]
    )
)

select * from final
order by place_id, total desc nulls last, unit, measure
