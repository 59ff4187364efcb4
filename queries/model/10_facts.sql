-- The fact table every page query reads: one row per reach fact, with its
-- programme's organisation and theme, and the attributes of its whole (when the
-- fact is a part, « dont »), so the counting rule needs no join at query time.
--
-- Privacy (impact/privacy.py): a sensitive figure below the threshold of table
-- `settings` is hidden — its count and quote are stored as NULL here, so no
-- query can show, add or subtract it — and so are the other parts of the same
-- whole, which would otherwise give it back by subtraction.
--
-- Rows are stored by programme: a programme's figures sit in one or two row
-- groups, which DuckDB finds from their min/max without reading the others.
create or replace table facts as
with
wholes as (
    select
        b.fact_id,
        b.year,
        b.country_iso3,
        b."group",
        b.place_id,
        b.programme_id,
        p.org_id,
        p.theme
    from beneficiaries as b
    join programmes as p using (programme_id)
    -- only the facts that have parts: a small hash table for the join below
    where b.fact_id in (select part_of from beneficiaries where part_of is not null)
),

joined as (
    select
        b.*,
        p.org_id,
        p.theme,
        coalesce(b.sensitive, false) or p.sensitive as is_sensitive,
        w.year as whole_year,
        w.country_iso3 as whole_country_iso3,
        w."group" as whole_group,
        w.programme_id as whole_programme_id,
        w.org_id as whole_org_id,
        w.theme as whole_theme
    from beneficiaries as b
    join programmes as p using (programme_id)
    left join wholes as w on b.part_of = w.fact_id
),

small as (
    select
        *,
        is_sensitive
        and unit <> 'percent'
        and "count" < (select privacy_threshold from settings) as is_small
    from joined
),

wholes_with_a_small_part as (
    select distinct part_of
    from small
    where is_small and part_of is not null
),

final as (
    select
        s.* exclude (is_small) replace (
            case when s.is_small or h.part_of is not null then null else s."count" end as "count",
            case when s.is_small or h.part_of is not null then null else s.quote end as quote
        ),
        s.is_small or h.part_of is not null as is_hidden
    from small as s
    left join wholes_with_a_small_part as h on s.part_of = h.part_of
)

select * from final
order by programme_id, year, fact_id;
