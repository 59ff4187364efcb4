-- The figures rolled up for speed: one row per combination of everything the
-- filters, the counting rule and the page aggregates look at (years, organisation,
-- theme, country, group, programme, unit, measure, source, and the attributes of
-- the whole for parts). Monthly figures by place collapse into one row per year,
-- so a federation's 10 million figures become a few hundred thousand rows.
-- `facts` counts the figures of a row and `total` adds their counts; page
-- queries that only need totals read `scoped_rollup(...)` instead of
-- `scoped_facts(...)` and give the same answers (tests/test_cache.py checks it).
--
-- Each row also carries what the amounts of impact/amounts.py need:
-- * qualifiers: whether some figure is « plus de » (`at_least`), « environ »
--   (`about`) or « au plus » (`at_most`); hidden figures (privacy) add nothing
--   to `total` and are counted in `hidden_facts` (`hidden_small` of them small);
-- * distinct people: `distinct_total` adds the figures the curator marked as
--   other people (`distinct_people`), `overlap_max` is the largest of the
--   others, which may count the same people — both without « au plus » figures,
--   which bound nobody from below. The lower bound of the distinct
--   people of one programme in one country is sum(distinct_total) +
--   max(overlap_max) over its rows (macro set_lower, 45_amounts.sql): sums and
--   maxima can be taken in any order, so rows of any grain combine;
-- * years: how many figures have an inferred year, or the source's year.
create or replace table fact_rollup as
with
-- a figure's count as a lower bound of the people it reached (20_scope.sql)
figures as (
    select *, lower_count(qualifier, "count") as lower_count
    from facts
),

final as (
    select
        year,
        first_year,
        org_id,
        theme,
        country_iso3,
        "group",
        programme_id,
        unit,
        measure,
        source_id,
        part_of is not null as is_part,
        whole_first_year,
        whole_year,
        whole_org_id,
        whole_theme,
        whole_country_iso3,
        whole_group,
        whole_programme_id,
        sum("count") as total,
        count(*) as facts,
        bool_or(qualifier = 'at_least') as at_least,
        bool_or(qualifier = 'about') as about,
        bool_or(qualifier = 'at_most') as at_most,
        bool_or(is_sensitive) as has_sensitive,
        count(*) filter (where is_hidden) as hidden_facts,
        count(*) filter (where hidden_reason = 'small') as hidden_small,
        -- the lower bound's parts (45_amounts.sql) read `lower_count`: an « au plus »
        -- figure bounds nobody from below (it may have reached anyone up to its number)
        sum(lower_count) filter (where is_distinct) as distinct_total,
        bool_or(qualifier = 'about') filter (
            where is_distinct and lower_count is not null
        ) as distinct_about,
        max(lower_count) filter (where not is_distinct) as overlap_max,
        largest_is_about(
            case when not is_distinct then lower_count end, coalesce(qualifier = 'about', false)
        ) as overlap_max_about,
        count(*) filter (where year_basis = 'inferred') as inferred_facts,
        count(*) filter (where year_basis = 'source_date') as source_date_facts
    from figures
    group by all
)

select * from final
order by unit, measure, year, country_iso3;
