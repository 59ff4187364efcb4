-- One row per organisation in the selection, with its kind, country, public
-- website, summary, the themes of its programmes in the selection, its cities,
-- its number of programmes and the reach of one unit and measure (sum, distinct
-- lower bound, qualifiers: queries/model/45_amounts.sql; reach_facts = 0: no such
-- figure).
-- Parameters: the filters ($year_from … $programmes), $unit, $measure.
with
selected as (
    select *
    from organisations_in_scope(
        $year_from::integer, $year_to::integer, $orgs::varchar[], $themes::varchar[],
        $countries::varchar[], $groups::varchar[], $programmes::varchar[]
    )
),

programmes_selected as (
    select *
    from programmes_in_scope(
        $year_from::integer, $year_to::integer, $orgs::varchar[], $themes::varchar[],
        $countries::varchar[], $groups::varchar[], $programmes::varchar[]
    )
),

reach as (
    select
        org_id,
        coalesce(sum(columns('^(total|lower)$')), 0),
        coalesce(
            sum(columns('^(facts|hidden_facts|hidden_small|inferred_facts|source_date_facts)$')), 0
        )::bigint,
        coalesce(bool_or(columns('^(at_least|about|at_most|lower_about)$')), false)
    from reach_sets(
        $year_from::integer, $year_to::integer, $orgs::varchar[], $themes::varchar[],
        $countries::varchar[], $groups::varchar[], $programmes::varchar[],
        $unit, $measure
    )
    group by org_id
),

work as (
    select
        org_id,
        count(*) as programmes,
        string_agg(distinct theme, ',' order by theme) as themes
    from programmes_selected
    group by org_id
),

cities as (
    select
        op.org_id,
        string_agg(distinct pl.name, ', ' order by pl.name) as cities,
        string_agg(
            distinct translated(pl.name, pl.name_nl), ', ' order by translated(pl.name, pl.name_nl)
        ) as cities__nl,
        string_agg(
            distinct translated(pl.name, pl.name_en), ', ' order by translated(pl.name, pl.name_en)
        ) as cities__en
    from organisation_places as op
    join places as pl using (place_id)
    group by op.org_id
),

final as (
    select
        o.org_id,
        o.name,
        o.acronym,
        o.kind,
        o.country_iso3,
        c.name_fr as country_fr,
        c.name_nl as country_nl,
        c.name_en as country_en,
        o.website,
        o.summary,
        translated(o.summary, o.summary_nl) as summary__nl,
        translated(o.summary, o.summary_en) as summary__en,
        coalesce(w.themes, '') as themes,
        coalesce(ci.cities, '') as cities,
        coalesce(ci.cities__nl, '') as cities__nl,
        coalesce(ci.cities__en, '') as cities__en,
        coalesce(w.programmes, 0) as programmes,
        -- the reach (no row: no such figure, every column NULL, never 0)
        r.* exclude (org_id) rename (facts as reach_facts)
    from selected as o
    left join countries as c on c.iso3 = o.country_iso3
    left join work as w using (org_id)
    left join cities as ci using (org_id)
    left join reach as r using (org_id)
)

select * from final
-- as a reader files names: « Caravane » before « CPAS », « Médecins » with the Me's
-- (byte order put capitals first and accented letters after z)
order by name collate nocase.noaccent, org_id
