-- The figures that name a place, rolled up like fact_rollup but with the place
-- in the key (and without the source): maps and place lists read this instead
-- of the figure rows. At 10 million monthly figures it holds about 2 million
-- rows, one per place, year, programme, group, unit and measure. The amount
-- columns are those of fact_rollup (30_rollup.sql).
create or replace table place_rollup as
with
-- a figure's count as a lower bound of the people it reached (20_scope.sql)
figures as (
    select *, lower_count(qualifier, "count") as lower_count
    from facts
),

final as (
    select
        place_id,
        year,
        first_year,
        org_id,
        theme,
        country_iso3,
        "group",
        programme_id,
        unit,
        measure,
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
    where place_id is not null
    group by all
)

select * from final
order by unit, measure, year, country_iso3;
