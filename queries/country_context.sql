-- One row per context indicator about one country (scope = its ISO-3 code),
-- with its source. Context figures are never part of the reach.
-- Parameters: $iso3.
with
final as (
    select
        i.indicator_id,
        i.label,
        translated(i.label, i.label_nl) as label__nl,
        translated(i.label, i.label_en) as label__en,
        i.value,
        i.qualifier,
        i.unit,
        i.kind,
        i.programme_id,
        i.year,
        i.quote,
        s.title as source_title,
        s.published as source_published,
        s.publisher as source_publisher
    from context as i
    join sources as s using (source_id)
    where i.scope = $iso3
)

select * from final
order by indicator_id
