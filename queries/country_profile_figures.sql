-- One row per unit and measure: the amounts of the figures of the selection
-- (queries/model/45_amounts.sql; a country profile passes its country in
-- $countries); and one row per figure of a unit that is never added up
-- (percentages, « items »: never_added), with its programme's name in three
-- languages (`__nl`, `__en`) and its quote (two such figures of one programme,
-- « 3 brochures » and « 3 affiches », were otherwise the same row), the 100
-- largest (read from largest_facts, which keeps every such figure and withholds
-- the quotes that would give a hidden figure away: 32_largest_facts.sql).
-- Parameters: the filters ($year_from … $programmes).
with
sums as (
    select
        unit,
        measure,
        coalesce(sum(columns('^(total|lower)$')), 0),
        coalesce(
            sum(columns('^(facts|hidden_facts|hidden_small|inferred_facts|source_date_facts)$')), 0
        )::bigint,
        coalesce(bool_or(columns('^(at_least|about|at_most|lower_about)$')), false),
        min(first_year) as first_year,
        max(last_year) as last_year,
        null::varchar as programme
    from reach_sets(
        $year_from::integer, $year_to::integer, $orgs::varchar[], $themes::varchar[],
        $countries::varchar[], $groups::varchar[], $programmes::varchar[],
        null, null
    )
    group by unit, measure
),

one_by_one as (
    select
        f.unit,
        f.measure,
        f."count" as total,
        f."count" as lower,
        1::bigint as facts,
        f.is_hidden::bigint as hidden_facts,
        (f.hidden_reason = 'small')::bigint as hidden_small,
        f.qualifier = 'at_least' as at_least,
        f.qualifier = 'about' as about,
        f.qualifier = 'at_most' as at_most,
        f.qualifier = 'about' as lower_about,
        (f.year_basis = 'inferred')::bigint as inferred_facts,
        (f.year_basis = 'source_date')::bigint as source_date_facts,
        f.first_year,
        f.year as last_year,
        p.name as programme,
        translated(p.name, p.name_nl) as programme__nl,
        translated(p.name, p.name_en) as programme__en,
        f.quote
    from scoped_largest(
        $year_from::integer, $year_to::integer, $orgs::varchar[], $themes::varchar[],
        $countries::varchar[], $groups::varchar[], $programmes::varchar[]
    ) as f
    join programmes as p using (programme_id)
    where f.counted and never_added(f.unit)
    order by f."count" desc nulls last, f.fact_id
    limit 100
),

final as (
    select * from sums
    union all by name
    select * from one_by_one
)

select * from final
order by measure, programme nulls first, total desc nulls last, unit
