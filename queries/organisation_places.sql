-- One row per organisation and place where the sources say it has an office
-- or an activity, with the place's coordinates and country names.
-- Parameters: none.
with
final as (
    select
        op.org_id,
        op.place_id,
        pl.name,
        translated(pl.name, pl.name_nl) as name__nl,
        translated(pl.name, pl.name_en) as name__en,
        pl.admin1,
        translated(pl.admin1, pl.admin1_nl) as admin1__nl,
        translated(pl.admin1, pl.admin1_en) as admin1__en,
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
