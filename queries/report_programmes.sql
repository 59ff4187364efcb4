-- One row per programme, with its organisation and country: the choices of the
-- report builder's « Programmes » scope.
-- Parameters: none.
with
final as (
    select
        p.programme_id,
        p.name,
        translated(p.name, p.name_nl) as name__nl,
        translated(p.name, p.name_en) as name__en,
        p.org_id,
        o.name as organisation,
        p.country_iso3
    from programmes as p
    join organisations as o using (org_id)
)

select * from final
order by organisation, name, programme_id
