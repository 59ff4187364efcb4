-- One row per organisation and place where the sources say it has an office
-- or an activity, with the place's coordinates and country names.
-- Parameters: none.
with
final as (
    select
        op.org_id,
        op.place_id,
        pl.name,
        pl.admin1,
        pl.country_iso3,
        c.name_fr,
        c.name_nl,
        c.name_en,
        pl.lat,
        pl.lon
    from organisation_places as op
    join places as pl using (place_id)
    join countries as c on c.iso3 = pl.country_iso3
)

select * from final
order by org_id, name
