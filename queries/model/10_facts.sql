-- The fact table every page query reads: one row per reach fact, with its
-- programme's organisation and theme, and the attributes of its whole (when the
-- fact is a part, « dont »), so the counting rule needs no join at query time.
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
),

final as (
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
)

select * from final;
