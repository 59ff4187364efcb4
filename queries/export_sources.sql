-- One row per source document behind the figures of the selection, with how many
-- of them it gives: of every unit and measure ($unit and $measure NULL: the
-- « Sources » part of every export, and the sources of a map, whose places are
-- named by figures of any unit), or of one (persons reached: what the charts and
-- the headline sentence state; a source of brochures or of places named is not a
-- source of persons reached). impact/figures.py `sources_call` says which.
-- Parts (« dont 4 enfants ») and hidden figures count: the « of whom children »
-- of a sentence comes from them, and a hidden figure's document is public.
-- Every figure's sources also name the places where the selection's organisations
-- work (organisation_places, with the country filter): a map draws them among « the
-- other places the sources name » (map_places.sql), and Togo's map, whose only place
-- is one of them, said « No source in this selection » under it.
-- Parameters: the filters ($year_from … $programmes), $unit, $measure.
with
used as (
    select
        source_id,
        sum(facts)::bigint as facts
    from scoped_rollup(
        $year_from::integer, $year_to::integer, $orgs::varchar[], $themes::varchar[],
        $countries::varchar[], $groups::varchar[], $programmes::varchar[]
    )
    where ($unit::varchar is null or unit = $unit) and ($measure::varchar is null or measure = $measure)
    group by source_id
),

organisations_places as (
    select op.source_id, count(distinct op.place_id) as places
    from organisation_places as op
    join places as pl using (place_id)
    where
        $unit::varchar is null and $measure::varchar is null
        and (len($countries::varchar[]) = 0 or list_contains($countries::varchar[], pl.country_iso3))
        and op.org_id in (
            select org_id
            from organisations_in_scope(
                $year_from::integer, $year_to::integer, $orgs::varchar[], $themes::varchar[],
                $countries::varchar[], $groups::varchar[], $programmes::varchar[]
            )
        )
    group by op.source_id
),

final as (
    select
        s.source_id,
        s.title,
        s.publisher,
        s.published,
        s.document,
        s.url,
        coalesce(u.facts, 0)::bigint as facts,
        coalesce(o.places, 0)::bigint as places
    from sources as s
    left join used as u using (source_id)
    left join organisations_places as o using (source_id)
    where u.source_id is not null or o.source_id is not null
)

select * from final
order by publisher, published desc, source_id
