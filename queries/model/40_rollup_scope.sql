-- The rolled-up rows matching the filters, each with `counted` as in scoped_facts.
create or replace macro scoped_rollup(year_from, year_to, orgs, themes, countries, groups, programmes) as table
    select
        r.*,
        not r.is_part or not coalesce(in_scope(
            r.whole_year, r.whole_org_id, r.whole_theme, r.whole_country_iso3,
            r.whole_group, r.whole_programme_id,
            year_from, year_to, orgs, themes, countries, groups, programmes
        ), false) as counted
    from fact_rollup as r
    where in_scope(
        r.year, r.org_id, r.theme, r.country_iso3, r."group", r.programme_id,
        year_from, year_to, orgs, themes, countries, groups, programmes
    );
