-- One row per value a sidebar filter can take (kind, value, names in three
-- languages): built with the model (queries/model/50_filter_values.sql).
-- Parameters: none.
select kind, value, name_fr, name_nl, name_en
from filter_values
order by kind, value
