-- The largest figures of each unit and measure, largest first: every figure
-- whose count is at or above its unit and measure's cutoff (chosen so about
-- `settings.largest_rows` figures pass, 200 000; all of them in smaller data),
-- the hidden ones, and every figure of a unit that is never added up
-- (percentages, « items »: never_added, 20_scope.sql), which pages list one by
-- one: a country's profile finds its largest here, not among 10 million rows.
-- The rows behind a total (counted_facts.sql) are read here first: when the
-- selection has at least as many of these as a page lists, they are exactly
-- its largest figures, found without reading millions of rows; otherwise the
-- caller reads `facts` (impact/figures.py rows_behind).
create or replace table largest_facts as
with
cutoffs as (
    -- max(x, n) keeps the n largest values: the smallest of them is the cutoff
    select unit, measure, list_min(max("count", (select largest_rows from settings))) as cutoff
    from facts
    group by unit, measure
),

final as (
    select f.*
    from facts as f
    join cutoffs as c using (unit, measure)
    where f."count" >= c.cutoff or f."count" is null or never_added(f.unit)
)

select * from final
order by unit, measure, "count" desc nulls last, fact_id;
