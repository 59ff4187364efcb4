-- Rows of each file of the data folder, as the database read them (the Data page's
-- summary): counted in the built tables, never by parsing the CSV files again
-- (1.7 GB at 10 million figures). `beneficiaries` is a view of `facts`.
-- Parameters: none.
select 'countries' as resource, count(*)::bigint as rows from countries
union all select 'places', count(*)::bigint from places
union all select 'sources', count(*)::bigint from sources
union all select 'organisations', count(*)::bigint from organisations
union all select 'organisation_places', count(*)::bigint from organisation_places
union all select 'programmes', count(*)::bigint from programmes
union all select 'beneficiaries', count(*)::bigint from beneficiaries
union all select 'context', count(*)::bigint from context
