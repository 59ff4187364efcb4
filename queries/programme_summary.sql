-- One row about one programme's figures: how many the filters keep and leave
-- out, its places (named by its figures, or where its organisation works in its
-- countries: programme_places_in_scope), its persons reached in the selection (counted as
-- on every page, with the distinct lower bound and qualifiers of
-- queries/model/45_amounts.sql) and the years of all its figures. Read from the rollups: a federation's programme can
-- have tens of thousands of figures.
-- Parameters: $programme_id and the filters ($year_from … $programmes).
with
in_selection as (
    select coalesce(sum(facts), 0)::bigint as figures
    from scoped_rollup(
        $year_from::integer, $year_to::integer, $orgs::varchar[], $themes::varchar[],
        $countries::varchar[], $groups::varchar[], $programmes::varchar[]
    )
    where programme_id = $programme_id
),

persons as (
    select
        coalesce(sum(columns('^(total|lower)$')), 0),
        coalesce(
            sum(columns('^(facts|hidden_facts|hidden_small|inferred_facts|source_date_facts)$')), 0
        )::bigint,
        coalesce(bool_or(columns('^(at_least|about|at_most|lower_about)$')), false)
    from reach_sets(
        $year_from::integer, $year_to::integer, $orgs::varchar[], $themes::varchar[],
        $countries::varchar[], $groups::varchar[], $programmes::varchar[],
        'persons', 'reached'
    )
    where programme_id = $programme_id
),

every as (
    select
        coalesce(sum(facts), 0)::bigint as figures,
        min(first_year) as first_year,
        max(year) as last_year
    from fact_rollup
    where programme_id = $programme_id
),

places as (
    select count(*) as places
    from programme_places_in_scope(
        $year_from::integer, $year_to::integer, $orgs::varchar[], $themes::varchar[],
        $countries::varchar[], $groups::varchar[], $programmes::varchar[],
        $programme_id
    )
),

final as (
    select
        s.figures,
        e.figures - s.figures as outside,
        p.places,
        coalesce(r.total, 0) as persons,
        coalesce(r.lower, 0) as persons_lower,
        coalesce(r.facts, 0)::bigint as persons_facts,
        coalesce(r.hidden_facts, 0)::bigint as hidden_facts,
        coalesce(r.hidden_small, 0)::bigint as hidden_small,
        coalesce(r.at_least, false) as at_least,
        coalesce(r.about, false) as about,
        coalesce(r.at_most, false) as at_most,
        coalesce(r.lower_about, false) as lower_about,
        e.first_year,
        e.last_year
    from in_selection as s, every as e, places as p
    left join persons as r on true
)

select * from final
