-- One row: the reach of one unit and measure over the selection — the sum of
-- the figures (`total`), the people it holds at least (`lower`: figures of one
-- programme in one country may count the same people), how many figures it adds
-- and how many are hidden for privacy, their qualifiers, and how many
-- programmes and countries the figures come from (queries/model/45_amounts.sql).
-- One row even when nothing matches (then facts = 0: no figure, not zero).
-- Parameters: the filters ($year_from … $programmes), $unit, $measure.
with
final as (
    select
        coalesce(sum(columns('^(total|lower)$')), 0),
        coalesce(
            sum(columns('^(facts|hidden_facts|hidden_small|inferred_facts|source_date_facts)$')), 0
        )::bigint,
        coalesce(bool_or(columns('^(at_least|about|at_most|lower_about)$')), false),
        min(first_year) as first_year,
        max(last_year) as last_year,
        count(distinct programme_id) as programmes,
        count(distinct country_iso3) as countries
    from reach_sets(
        $year_from::integer, $year_to::integer, $orgs::varchar[], $themes::varchar[],
        $countries::varchar[], $groups::varchar[], $programmes::varchar[],
        $unit, $measure
    )
)

select * from final
