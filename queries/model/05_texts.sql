-- Texts of the data in Dutch or English (names, summaries, regions, labels): the
-- translation of its column (`name_nl`…), or, when the curator has left it empty, the
-- French original followed by « (FR) », so a reader sees it is not translated
-- (the fallback rule of data/README.md). French is always the original column.
create or replace macro translated(original, translation) as
    case
        when original is null then null
        when coalesce(trim(translation), '') = '' then original || ' (FR)'
        else translation
    end;
