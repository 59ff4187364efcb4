-- One row per programme and country of its figures: where a programme without
-- a country of its own works (programmes_list.sql), and which programmes have
-- figures at all (programmes_in_scope, 20_scope.sql). A few thousand rows to
-- look up instead of the rollup's half a million at federation scale.
create or replace table programme_figure_countries as
with
final as (
    select distinct programme_id, country_iso3
    from fact_rollup
)

select * from final
order by programme_id, country_iso3;
