-- One row per source document behind the facts of the selection (any unit or
-- measure), with how many of its figures the selection uses: the « Sources »
-- part of every export.
-- Parameters: the filters ($year_from … $programmes).
with
facts_in_scope as (
    select *
    from scoped_rollup(
        $year_from::integer, $year_to::integer, $orgs::varchar[], $themes::varchar[],
        $countries::varchar[], $groups::varchar[], $programmes::varchar[]
    )
),

used as (
    select
        source_id,
        sum(facts)::bigint as facts
    from facts_in_scope
    group by source_id
),

final as (
    select
        s.source_id,
        s.title,
        s.publisher,
        s.published,
        s.document,
        s.url,
        u.facts
    from used as u
    join sources as s using (source_id)
)

select * from final
order by publisher, published desc, source_id
