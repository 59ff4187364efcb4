-- The children of each whole, for the ready-to-paste sentences (« 1 237 personnes,
-- dont 412 enfants », export_sentences.sql): the sum of a whole's visible parts of
-- group children, and whether any of them is « at least » or « about ». One row per
-- whole that has such parts.
--
-- Hidden figures have no count in `facts` (10_facts.sql), so they add nothing here,
-- as before. Finding a selection's children among every figure read the group and
-- the whole of all 10 million rows each time (0.2 s of a 0.3 s query at 10M); this
-- table has 2 million rows there, built in about a second.
create or replace table fact_children as
select
    part_of as fact_id,
    sum("count")::bigint as children,
    bool_or(qualifier = 'at_least') as children_at_least,
    bool_or(qualifier = 'about') as children_about
from facts
where "group" = 'children' and "count" is not null and part_of is not null
group by part_of
order by fact_id;
