-- Programmes, years, groups and units whose persons reached add up to more than
-- their persons targeted, once an import is applied (a warning of the import
-- report, impact/curation/report.py).
--
-- Reads `checked_facts`: the candidate's figures (the typed table of a valid
-- candidate, else its staged text) with `line`, their row in the file; and
-- `imported_lines`: the rows of that file the import wrote.
-- A sum already above its target before the import is not the import's news:
-- only sums with an imported figure are returned, with the first such row. With
-- $any_imported false (the import wrote another file) every sum is returned,
-- with its first row. Parts (« dont ») are left out: their wholes count them.
with
figures as (
    select
        line,
        programme_id,
        cast(year as varchar) as year,
        "group",
        unit,
        measure,
        try_cast("count" as double) as n
    from checked_facts
    where measure in ('reached', 'targeted') and coalesce(cast(part_of as varchar), '') = ''
),

sums as (
    select
        programme_id,
        year,
        "group",
        unit,
        sum(n) filter (where measure = 'reached') as reached,
        sum(n) filter (where measure = 'targeted') as targeted,
        min(line) as first_line,
        min(line) filter (where line in (select line from imported_lines)) as first_imported
    from figures
    where n is not null
    group by all
)

select
    case when $any_imported then first_imported else first_line end as line,
    reached,
    targeted
from sums
where reached > targeted
    and (case when $any_imported then first_imported else first_line end) is not null
order by line;
