-- One row about one programme's figures: how many the filters keep and leave
-- out, the places they name, its persons reached in the selection (counted as
-- on every page: a part of a whole in the selection is not added) and the
-- years of all its figures. Read from the rollups: a federation's programme can
-- have tens of thousands of figures.
-- Parameters: $programme_id and the filters ($year_from … $programmes).
with
scoped as (
    select *
    from scoped_rollup(
        $year_from::integer, $year_to::integer, $orgs::varchar[], $themes::varchar[],
        $countries::varchar[], $groups::varchar[], $programmes::varchar[]
    )
    where programme_id = $programme_id
),

every as (
    select *
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
        (select coalesce(sum(facts), 0)::bigint from scoped) as figures,
        (select coalesce(sum(facts), 0)::bigint from every)
        - (select coalesce(sum(facts), 0)::bigint from scoped) as outside,
        (select places from places) as places,
        (
            select coalesce(sum(total), 0)
            from scoped
            where counted and unit = 'persons' and measure = 'reached'
        ) as persons,
        (
            select coalesce(bool_or(approximate), false)
            from scoped
            where counted and unit = 'persons' and measure = 'reached'
        ) as approximate,
        (select min(year) from every) as first_year,
        (select max(year) from every) as last_year
)

select * from final
