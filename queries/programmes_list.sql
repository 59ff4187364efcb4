-- One row per programme in the selection, with its organisation, theme,
-- countries (its own, else those of its figures), years, and the total of one
-- unit and measure over its figures in the selection (sum, distinct lower bound,
-- qualifiers: queries/model/45_amounts.sql; reach_facts = 0: no such figure).
-- Parameters: the filters ($year_from … $programmes), $unit, $measure.
with
selected as (
    select *
    from programmes_in_scope(
        $year_from::integer, $year_to::integer, $orgs::varchar[], $themes::varchar[],
        $countries::varchar[], $groups::varchar[], $programmes::varchar[]
    )
),

scoped as (
    select *
    from scoped_rollup(
        $year_from::integer, $year_to::integer, $orgs::varchar[], $themes::varchar[],
        $countries::varchar[], $groups::varchar[], $programmes::varchar[]
    )
),

reach as (
    select
        programme_id,
        coalesce(sum(columns('^(total|lower)$')), 0),
        coalesce(
            sum(columns('^(facts|hidden_facts|hidden_small|inferred_facts|source_date_facts)$')), 0
        )::bigint,
        coalesce(bool_or(columns('^(at_least|about|at_most|lower_about)$')), false)
    from reach_sets(
        $year_from::integer, $year_to::integer, $orgs::varchar[], $themes::varchar[],
        $countries::varchar[], $groups::varchar[], $programmes::varchar[],
        $unit, $measure
    )
    group by programme_id
),

figures as (
    select
        programme_id,
        sum(facts)::bigint as facts,
        min(first_year) as first_year,
        max(year) as last_year
    from scoped
    group by programme_id
),

country_codes as (
    select programme_id, country_iso3
    from selected
    where country_iso3 is not null
    union
    select s.programme_id, r.country_iso3
    from selected as s
    join programme_figure_countries as r using (programme_id)
    where s.country_iso3 is null
),

country_names as (
    select
        cc.programme_id,
        string_agg(c.iso3, ',' order by c.iso3) as country_codes,
        string_agg(c.name_fr, ', ' order by c.name_fr) as countries_fr,
        string_agg(c.name_nl, ', ' order by c.name_nl) as countries_nl,
        string_agg(c.name_en, ', ' order by c.name_en) as countries_en
    from country_codes as cc
    join countries as c on c.iso3 = cc.country_iso3
    group by cc.programme_id
),

final as (
    select
        p.programme_id,
        p.name,
        translated(p.name, p.name_nl) as name__nl,
        translated(p.name, p.name_en) as name__en,
        p.org_id,
        o.name as organisation,
        p.theme,
        coalesce(cn.country_codes, '') as country_codes,
        coalesce(cn.countries_fr, '') as countries_fr,
        coalesce(cn.countries_nl, '') as countries_nl,
        coalesce(cn.countries_en, '') as countries_en,
        p.start_year,
        p.end_year,
        f.first_year,
        f.last_year,
        -- the reach (no row: no such figure, every column NULL, never 0)
        r.* exclude (programme_id) rename (facts as reach_facts),
        coalesce(f.facts, 0) as facts,
        p.sensitive
    from selected as p
    join organisations as o using (org_id)
    left join reach as r using (programme_id)
    left join figures as f using (programme_id)
    left join country_names as cn using (programme_id)
)

select * from final
order by total desc nulls last, name
