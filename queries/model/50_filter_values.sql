-- One row per value a filter can take: organisations, countries, themes and
-- groups that occur in the data, the years of the figures, and the programmes (the
-- report's scope; their names describe a selection in every file). Every
-- page reads it (queries/filter_options.sql); it depends on the data only, so
-- it is computed once here instead of scanning the rollup on every page view.
create or replace table filter_values as
with
orgs as (
    select 'orgs' as kind, org_id as value, name as name_fr, name as name_nl, name as name_en
    from organisations
),

programmes_named as (
    select
        'programmes' as kind,
        programme_id as value,
        name as name_fr,
        translated(name, name_nl) as name_nl,
        translated(name, name_en) as name_en
    from programmes
),

countries_used as (
    select 'countries' as kind, iso3 as value, name_fr, name_nl, name_en
    from countries
    where iso3 in (select country_iso3 from fact_rollup union select country_iso3 from programmes)
),

themes_used as (
    select distinct 'themes' as kind, theme as value, null as name_fr, null as name_nl, null as name_en
    from programmes
),

groups_used as (
    select distinct 'groups' as kind, "group" as value, null, null, null
    from fact_rollup
),

-- every year a figure is of, and the first year of a period (« entre 2010 et 2014 »:
-- 2010): a year filter keeps a figure whose whole period is inside it, so the slider
-- must reach back to the first year of the earliest period
years_used as (
    select distinct 'years' as kind, cast(y as varchar) as value, null, null, null
    from (select year as y from fact_rollup union select first_year from fact_rollup)
),

final as (
    select * from orgs
    union all select * from programmes_named
    union all select * from countries_used
    union all select * from themes_used
    union all select * from groups_used
    union all select * from years_used
)

select * from final
order by kind, value;
