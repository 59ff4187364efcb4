-- One row per source document behind the figures of the selection, with how many
-- of them it gives: of every unit and measure ($unit and $measure NULL: the
-- « Sources » part of every export, and the sources of a map, whose places are
-- named by figures of any unit), or of one (persons reached: what the charts and
-- the headline sentence state; a source of brochures or of places named is not a
-- source of persons reached). impact/figures.py `sources_call` says which.
-- Parts (« dont 4 enfants ») and hidden figures count: the « of whom children »
-- of a sentence comes from them, and a hidden figure's document is public.
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

final as (
    select
        s.source_id,
        s.title,
        s.publisher,
        s.published,
        s.document,
        s.url,
        u.facts
    from used as u
    join sources as s using (source_id)
)

select * from final
order by publisher, published desc, source_id
