-- One row: how many countries, programmes, organisations, figures and sources
-- the selection covers, by the definitions of queries/model/20_scope.sql (the
-- very lists the Countries, Programmes and Organisations pages show).
-- Parameters: the filters ($year_from … $programmes).
with
facts_in_scope as (
    select *
    from scoped_rollup(
        $year_from::integer, $year_to::integer, $orgs::varchar[], $themes::varchar[],
        $countries::varchar[], $groups::varchar[], $programmes::varchar[]
    )
),

programmes_selected as (
    select *
    from programmes_in_scope(
        $year_from::integer, $year_to::integer, $orgs::varchar[], $themes::varchar[],
        $countries::varchar[], $groups::varchar[], $programmes::varchar[]
    )
),

-- organisations_in_scope's two branches, the first read from the programmes above:
-- the macro would expand programmes_in_scope a second time (31 of 101 ms at 10M
-- figures). tests/test_queries.py checks each count against its page's list.
organisations_selected as (
    select distinct org_id
    from programmes_selected
    union all
    select org_id
    from organisations_without_programme(
        $year_from::integer, $year_to::integer, $orgs::varchar[], $themes::varchar[],
        $countries::varchar[], $groups::varchar[], $programmes::varchar[]
    )
),

countries_selected as (
    select *
    from countries_in_scope(
        $year_from::integer, $year_to::integer, $orgs::varchar[], $themes::varchar[],
        $countries::varchar[], $groups::varchar[], $programmes::varchar[]
    )
),

final as (
    select
        (select count(*) from countries_selected) as countries,
        (select count(*) from programmes_selected) as programmes,
        (select count(*) from organisations_selected) as organisations,
        (select coalesce(sum(facts), 0)::bigint from facts_in_scope) as facts,
        (select count(distinct source_id) from facts_in_scope) as sources
)

select * from final
