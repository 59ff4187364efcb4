-- The rolled-up rows matching the filters, each with `counted` as in scoped_facts
-- (20_scope.sql): the same rule over the tables built for speed.
create or replace macro scoped_rollup(year_from, year_to, orgs, themes, countries, groups, programmes) as table
    select
        r.*,
        counted_in(
            r.is_part, r.whole_first_year, r.whole_year, r.whole_org_id, r.whole_theme,
            r.whole_country_iso3, r.whole_group, r.whole_programme_id,
            year_from, year_to, orgs, themes, countries, groups, programmes
        ) as counted
    from fact_rollup as r
    where in_scope(
        r.first_year, r.year, r.org_id, r.theme, r.country_iso3, r."group", r.programme_id,
        year_from, year_to, orgs, themes, countries, groups, programmes
    );

-- The same by place (31_place_rollup.sql), for maps and place lists.
create or replace macro scoped_place_rollup(year_from, year_to, orgs, themes, countries, groups, programmes) as table
    select
        r.*,
        counted_in(
            r.is_part, r.whole_first_year, r.whole_year, r.whole_org_id, r.whole_theme,
            r.whole_country_iso3, r.whole_group, r.whole_programme_id,
            year_from, year_to, orgs, themes, countries, groups, programmes
        ) as counted
    from place_rollup as r
    where in_scope(
        r.first_year, r.year, r.org_id, r.theme, r.country_iso3, r."group", r.programme_id,
        year_from, year_to, orgs, themes, countries, groups, programmes
    );

-- The largest figures (32_largest_facts.sql) matching the filters, as scoped_facts.
create or replace macro scoped_largest(year_from, year_to, orgs, themes, countries, groups, programmes) as table
    select
        f.*,
        counted_in(
            f.part_of is not null, f.whole_first_year, f.whole_year, f.whole_org_id,
            f.whole_theme, f.whole_country_iso3, f.whole_group, f.whole_programme_id,
            year_from, year_to, orgs, themes, countries, groups, programmes
        ) as counted
    from largest_facts as f
    where in_scope(
        f.first_year, f.year, f.org_id, f.theme, f.country_iso3, f."group", f.programme_id,
        year_from, year_to, orgs, themes, countries, groups, programmes
    );

-- Countries in the selection: where a figure of the selection is, and the own
-- country of every programme of the selection (within the country filter).
create or replace macro countries_in_scope(year_from, year_to, orgs, themes, countries, groups, programmes) as table
    select distinct country_iso3
    from scoped_rollup(year_from, year_to, orgs, themes, countries, groups, programmes)
    union
    select country_iso3
    from programmes_in_scope(year_from, year_to, orgs, themes, countries, groups, programmes)
    where country_iso3 is not null
        and (len(countries) = 0 or list_contains(countries, country_iso3));

-- The places of one programme in the selection: those its figures of the
-- selection name (`named`), and those where its organisation works in the
-- programme's countries (its own and its figures'), within the country filter.
create or replace macro programme_places_in_scope(year_from, year_to, orgs, themes, countries, groups, programmes, programme) as table
    with named as (
        select distinct place_id
        from scoped_place_rollup(year_from, year_to, orgs, themes, countries, groups, programmes)
        where programme_id = programme
    ),
    countries_of as (
        select country_iso3 from programmes where programme_id = programme
        union
        select country_iso3 from programme_figure_countries where programme_id = programme
    ),
    worked as (
        select op.place_id
        from organisation_places as op
        join programmes as p on p.org_id = op.org_id
        join places as pl on pl.place_id = op.place_id
        where p.programme_id = programme
            and pl.country_iso3 in (select country_iso3 from countries_of)
            and (len(countries) = 0 or list_contains(countries, pl.country_iso3))
    )
    select place_id, true as named from named
    union
    select place_id, false as named from worked where place_id not in (select place_id from named);
