-- One row about one programme's figures: how many the filters keep and leave
-- out, the places they name, its persons reached in the selection (counted as
-- on every page: a part of a whole in the selection is not added) and the
-- years of all its figures. Read from the rollups: a federation's programme can
-- have tens of thousands of figures.
-- Parameters: $programme_id and the filters ($year_from … $programmes).
with
in_selection as (
    select
        coalesce(sum(facts), 0)::bigint as figures,
        coalesce(
            sum(total) filter (where counted and unit = 'persons' and measure = 'reached'), 0
        ) as persons,
        coalesce(
            bool_or(approximate) filter (
                where counted and unit = 'persons' and measure = 'reached'
            ),
            false
        ) as approximate
    from scoped_rollup(
        $year_from::integer, $year_to::integer, $orgs::varchar[], $themes::varchar[],
        $countries::varchar[], $groups::varchar[], $programmes::varchar[]
    )
    where programme_id = $programme_id
),

every as (
    select
        coalesce(sum(facts), 0)::bigint as figures,
        min(year) as first_year,
        max(year) as last_year
    from fact_rollup
    where programme_id = $programme_id
),

places as (
    select count(distinct place_id) as places
    from scoped_place_rollup(
        $year_from::integer, $year_to::integer, $orgs::varchar[], $themes::varchar[],
        $countries::varchar[], $groups::varchar[], $programmes::varchar[]
    )
    where programme_id = $programme_id
),

final as (
    select
        s.figures,
        e.figures - s.figures as outside,
        p.places,
        s.persons,
        s.approximate,
        e.first_year,
        e.last_year
    from in_selection as s, every as e, places as p
)

select * from final
