-- The figures that name a place, rolled up like fact_rollup but with the place
-- in the key (and without the source): maps and place lists read this instead
-- of the figure rows. At 10 million monthly figures it holds about 2 million
-- rows, one per place, year, programme, group, unit and measure.
create or replace table place_rollup as
with
final as (
    select
        place_id,
        year,
        org_id,
        theme,
        country_iso3,
        "group",
        programme_id,
        unit,
        measure,
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
        count(*) filter (where is_hidden) as hidden_facts
    from facts
    where place_id is not null
    group by all
)

select * from final
order by unit, measure, year, country_iso3;
