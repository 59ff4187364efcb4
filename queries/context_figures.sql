-- One row per context indicator: the world the programmes work in (kind
-- 'context') or a worldwide result of a campaign or network (kind
-- 'campaign_result'), never their reach in a country; with its qualifier and source.
-- Parameters: none.
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
        i.scope,
        i.year,
        i.quote,
        s.title as source_title,
        s.published as source_published,
        s.publisher as source_publisher,
        s.document as source_document
    from context as i
    join sources as s using (source_id)
)

select * from final
order by kind desc, scope, indicator_id
