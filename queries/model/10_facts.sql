-- The fact table every page query reads: one row per reach fact, with its
-- programme's organisation and theme, and the attributes of its whole (when the
-- fact is a part, « dont »), so the counting rule needs no join at query time.
--
-- Years: `first_year` is the first year the figure covers (`period_start` for a
-- period, « entre 2010 et 2014 », else `year`); a year filter keeps a figure
-- only when its whole period is inside the chosen years (20_scope.sql).
--
-- Distinct people: `is_distinct` is the curator's `distinct_people` (the people
-- of this figure are in no other figure of the same programme and country);
-- the rollups use it for the lower bound of distinct people (30_rollup.sql).
--
-- Privacy (impact/privacy.py): a sensitive figure below the threshold of table
-- `settings` is hidden (`hidden_reason` = 'small') — its count is stored as NULL
-- here, so no query can show, add or subtract it — and so are the other parts
-- of the same whole ('protects_small'), which would give it back by
-- subtraction. A quote or note that could give a hidden figure away is withheld
-- (`quote_withheld`): the hidden figures' own, their whole's (« 1.237 personnes,
-- dont 4 enfants »), and any quote of the same programme and source that
-- contains one of theirs or is contained in it.
--
-- Rows are stored by programme: a programme's figures sit in one or two row
-- groups, which DuckDB finds from their min/max without reading the others.
-- The order is `beneficiaries`'s, sorted when the cache build types it
-- (impact/db.py, STORED_ORDER) and kept here by the joins' probe side: an ORDER
-- BY here sorted the wide result on its way into the file (18 s of a
-- 10-million-row build, against 10 s for sorting `beneficiaries` in memory).
create or replace table facts as
with
wholes as (
    select
        b.fact_id,
        b.year,
        coalesce(b.period_start, b.year) as first_year,
        b.country_iso3,
        b."group",
        b.place_id,
        b.programme_id,
        p.org_id,
        p.theme
    from beneficiaries as b
    join programmes as p using (programme_id)
    -- only the facts that have parts: a small hash table for the join below
    where b.fact_id in (select part_of from beneficiaries where part_of is not null)
),

-- The hidden figures and the quotes that would give them away are few: each is
-- found in a small table, and the one pass over every figure below joins them.
-- (Flagging every figure first and filtering it three times made DuckDB keep a
-- copy of the whole table: 1.3 GB and most of the time at a million figures.)
small as (
    select b.fact_id, b.part_of, b.programme_id, b.source_id, b.quote
    from beneficiaries as b
    join programmes as p using (programme_id)
    where (coalesce(b.sensitive, false) or p.sensitive)
        and b.unit <> 'percent'
        and b."count" < (select privacy_threshold from settings)
),

hidden as (
    select fact_id, part_of, programme_id, source_id, quote, 'small' as hidden_reason
    from small
    union all
    -- the other parts of a whole with a small part
    select b.fact_id, b.part_of, b.programme_id, b.source_id, b.quote, 'protects_small'
    from beneficiaries as b
    where b.part_of in (select part_of from small where part_of is not null)
        and b.fact_id not in (select fact_id from small)
),

-- visible figures whose quote could give a hidden one away
revealing as (
    select part_of as fact_id
    from hidden
    where part_of is not null
    union
    select b.fact_id
    from beneficiaries as b
    join hidden as h on b.programme_id = h.programme_id and b.source_id = h.source_id
    where b.fact_id not in (select fact_id from hidden)
        and (contains(b.quote, h.quote) or contains(h.quote, b.quote))
)

select
    b.* replace (
        case when h.fact_id is null then b."count" end as "count",
        case when h.fact_id is null and r.fact_id is null then b.quote end as quote,
        case when h.fact_id is null and r.fact_id is null then b.note end as note
    ),
    coalesce(b.period_start, b.year) as first_year,
    coalesce(b.distinct_people, false) as is_distinct,
    p.org_id,
    p.theme,
    coalesce(b.sensitive, false) or p.sensitive as is_sensitive,
    w.year as whole_year,
    w.first_year as whole_first_year,
    w.country_iso3 as whole_country_iso3,
    w."group" as whole_group,
    w.programme_id as whole_programme_id,
    w.org_id as whole_org_id,
    w.theme as whole_theme,
    h.hidden_reason,
    h.fact_id is not null as is_hidden,
    h.fact_id is not null or r.fact_id is not null as quote_withheld
from beneficiaries as b
join programmes as p using (programme_id)
left join wholes as w on b.part_of = w.fact_id
left join hidden as h on b.fact_id = h.fact_id
left join revealing as r on b.fact_id = r.fact_id;
