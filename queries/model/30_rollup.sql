-- The figures rolled up for speed: one row per combination of everything the
-- filters, the counting rule and the page aggregates look at (year, organisation,
-- theme, country, group, programme, unit, measure, source, and the attributes of
-- the whole for parts). Monthly figures by place collapse into one row per year,
-- so a federation's 10 million figures become a few hundred thousand rows.
-- `facts` counts the figures of a row and `total` adds their counts; page
-- queries that only need totals read `scoped_rollup(...)` instead of
-- `scoped_facts(...)` and give the same answers (tests/test_cache.py checks it).
create or replace table fact_rollup as
with
final as (
    select
        year,
        org_id,
        theme,
        country_iso3,
        "group",
        programme_id,
        unit,
        measure,
        source_id,
        part_of is not null as is_part,
        whole_year,
        whole_org_id,
        whole_theme,
        whole_country_iso3,
        whole_group,
        whole_programme_id,
        sum("count") as total,
        count(*) as facts,
        bool_or(qualifier in ('at_least', 'about')) as approximate,
        bool_or(is_sensitive) as has_sensitive,
        -- hidden figures (impact/privacy.py) add nothing to `total`; say how many
        count(*) filter (where is_hidden) as hidden_facts
    from facts
    group by all
)

select * from final
order by unit, measure, year, country_iso3;
