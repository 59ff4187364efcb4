"""Step 1 of an import: the file, read once per upload, and what was understood of it."""

from __future__ import annotations

import hashlib

import pandas as pd
import streamlit as st

from impact.curation import reading
from impact.explore import plain
from impact.ui.data.desk import Desk

TABLE = "cur_table"  # (digest of the upload, the Table read from it)
LET_THROUGH = 10  # times the upload limit Streamlit lets reach the page


def upload(desk: Desk) -> tuple[reading.Table, str] | None:
    """The uploaded file read as a table, with the digest of its bytes (``None``: no file)."""
    _, tr = desk._, desk.tr
    st.header(_("1. File"))
    limit = reading.MAX_BYTES // 1024 // 1024
    file = st.file_uploader(
        _("A CSV (comma, semicolon or tab) or Excel (.xlsx) file, at most {limit} MB", limit=limit),
        type=["csv", "txt", "tsv", "xlsx"],
        key="cur_upload",
        # Streamlit refuses a file over its limit in the browser, in English (« File must
        # be 20.0MB or smaller »): files up to ten times ours get through, to be refused
        # just below in the reader's language.
        max_upload_size=LET_THROUGH * limit,
    )
    if file is None:
        st.session_state.pop(TABLE, None)
        return None
    data = file.getvalue()
    if len(data) > reading.MAX_BYTES:
        st.error(
            _(
                "The file is {size} MB; the limit is {limit} MB.",
                size=tr.number(round(len(data) / 1024 / 1024, 1)),
                limit=limit,
            )
        )
        return None
    digest = hashlib.sha256(data).hexdigest()
    held = st.session_state.get(TABLE)
    if held is not None and held[0] == digest:
        table: reading.Table = held[1]
    else:
        st.session_state.pop(TABLE, None)
        try:
            with st.spinner(_("Reading…")):
                table = reading.read_bytes(data, file.name)
        except reading.ReadError as error:
            st.error(plain(_("This file cannot be imported: {reason}", reason=error.message(tr))))
            return None
        st.session_state[TABLE] = (digest, table)
    describe(desk, table)
    return table, digest


def describe(desk: Desk, table: reading.Table) -> None:
    """What the reader understood: encoding, delimiter, header, rows, HXL; the first rows."""
    _, tr = desk._, desk.tr
    delimiter = {",": ",", ";": ";", "\t": _("tab"), "|": "|", None: "–"}[table.delimiter]
    st.caption(
        plain(
            _(
                "Read as {encoding}, delimiter « {delimiter} », header on row {row}, "
                "data rows: {rows}, HXL tags: {hxl}.",
                encoding=table.encoding,
                delimiter=delimiter,
                row=table.header_line,
                rows=tr.number(len(table.rows)),
                hxl=_("yes") if table.hxl else _("no"),
            )
        )
    )
    st.dataframe(
        pd.DataFrame(table.rows[:20], columns=table.columns),
        hide_index=True,
        width="stretch",
        placeholder="",
    )
