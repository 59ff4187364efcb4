-- One row (or none): a programme with its organisation and country names.
-- Parameters: $programme_id.
with
final as (
    select
        p.programme_id,
        p.name,
        translated(p.name, p.name_nl) as name__nl,
        translated(p.name, p.name_en) as name__en,
        p.theme,
        p.summary,
        translated(p.summary, p.summary_nl) as summary__nl,
        translated(p.summary, p.summary_en) as summary__en,
        p.start_year,
        p.end_year,
        p.sensitive,
        p.country_iso3,
        c.name_fr as country_fr,
        c.name_nl as country_nl,
        c.name_en as country_en,
        p.org_id,
        o.name as organisation,
        o.website as organisation_website,
        s.title as source_title,
        s.publisher as source_publisher
    from programmes as p
    join organisations as o using (org_id)
    join sources as s on s.source_id = p.source_id
    left join countries as c on c.iso3 = p.country_iso3
    where p.programme_id = $programme_id
)

select * from final
