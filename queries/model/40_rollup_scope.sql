-- The rolled-up rows matching the filters, each with `counted` as in scoped_facts
-- (20_scope.sql): the same rule over the tables built for speed.
create or replace macro scoped_rollup(year_from, year_to, orgs, themes, countries, groups, programmes) as table
    select
        r.*,
        counted_in(
            r.is_part, r.whole_year, r.whole_org_id, r.whole_theme, r.whole_country_iso3,
            r.whole_group, r.whole_programme_id,
            year_from, year_to, orgs, themes, countries, groups, programmes
        ) as counted
    from fact_rollup as r
    where in_scope(
        r.year, r.org_id, r.theme, r.country_iso3, r."group", r.programme_id,
        year_from, year_to, orgs, themes, countries, groups, programmes
    );

-- The same by place (31_place_rollup.sql), for maps and place lists.
create or replace macro scoped_place_rollup(year_from, year_to, orgs, themes, countries, groups, programmes) as table
    select
        r.*,
        counted_in(
            r.is_part, r.whole_year, r.whole_org_id, r.whole_theme, r.whole_country_iso3,
            r.whole_group, r.whole_programme_id,
            year_from, year_to, orgs, themes, countries, groups, programmes
        ) as counted
    from place_rollup as r
    where in_scope(
        r.year, r.org_id, r.theme, r.country_iso3, r."group", r.programme_id,
        year_from, year_to, orgs, themes, countries, groups, programmes
    );

-- The largest figures (32_largest_facts.sql) matching the filters, as scoped_facts.
create or replace macro scoped_largest(year_from, year_to, orgs, themes, countries, groups, programmes) as table
    select
        f.*,
        counted_in(
            f.part_of is not null, f.whole_year, f.whole_org_id, f.whole_theme,
            f.whole_country_iso3, f.whole_group, f.whole_programme_id,
            year_from, year_to, orgs, themes, countries, groups, programmes
        ) as counted
    from largest_facts as f
    where in_scope(
        f.year, f.org_id, f.theme, f.country_iso3, f."group", f.programme_id,
        year_from, year_to, orgs, themes, countries, groups, programmes
    );
