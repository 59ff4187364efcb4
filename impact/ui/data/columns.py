"""Step 2 of an import: which column of the file feeds which column of the data.

For figures, each count column gets a measure, a group (the row's, or its own:
« dont enfants » counts children) and, for a « dont » column, the column it is a
part of, so it is never added to its whole. Each column that holds numbers shows
how its decimal separator was decided, and the curator can set it. Rows that
read « Total » are left out unless the curator keeps them.
"""

from __future__ import annotations

import hashlib

import pandas as pd
import streamlit as st

from impact.curation import mapping, reading
from impact.curation.mapping import FACTS, Mapping
from impact.schema import contract
from impact.ui.data.desk import Desk
from impact.vocab import label

AUTO = "auto"
NONE = "–"  # an empty choice: Streamlit shows "" as « None »


def _key(*parts: str) -> str:
    return hashlib.sha256("\x1f".join(parts).encode()).hexdigest()[:10]


def choose(desk: Desk, table: reading.Table, shape: str) -> Mapping:
    """The mapping editor; returns the mapping as the curator leaves it."""
    _ = desk._
    remembered = mapping.recall(desk.root, table)
    if remembered is not None:
        st.success(_("This file has the same columns as an earlier import: its mapping is reused."))
    names = [r.name for r in contract().resources]
    first = remembered or mapping.propose(table)
    resource = st.selectbox(
        _("Which file of the data does this file feed?"),
        names,
        index=names.index(first.resource),
        format_func=lambda n: contract().resource(n).path,
        key=f"cur_resource_{shape}",
    )
    proposal = first if first.resource == resource else mapping.propose(table, resource)
    left, right = st.columns(2)
    decimals = [",", "."]
    decimal = left.radio(
        _("Decimal separator in this file"),
        decimals,
        index=decimals.index(proposal.decimal),
        format_func=lambda d: _("comma (1.234,5)") if d == "," else _("point (1,234.5)"),
        key=f"cur_decimal_{shape}",
        horizontal=True,
    )
    modes = list(mapping.MODES)
    mode = right.radio(
        _("How the rows are written"),
        modes,
        index=modes.index(proposal.mode),
        format_func=lambda m: _(mapping.MODES[m]),
        key=f"cur_mode_{shape}_{resource}",
    )
    chosen = Mapping(resource=resource, decimal=decimal, mode=mode)
    _fields(desk, table, shape, proposal, chosen)
    if resource == FACTS:
        _known(desk, shape, chosen)
        _figures(desk, table, shape, proposal, chosen)
        chosen.keep_totals = st.checkbox(
            _("Keep rows that read « Total » (they are left out: the app adds up itself)"),
            value=proposal.keep_totals,
            key=f"cur_totals_{shape}",
        )
    _numbers(desk, table, shape, proposal, chosen)
    return chosen


def _fields(
    desk: Desk, table: reading.Table, shape: str, proposal: Mapping, chosen: Mapping
) -> None:
    _ = desk._
    fields = contract().resource(chosen.resource).fields
    editor = pd.DataFrame(
        {
            "field": [f.name for f in fields],
            "column": [proposal.columns.get(f.name, NONE) for f in fields],
            "constant": [proposal.constants.get(f.name, "") for f in fields],
            "required": [f.required for f in fields],
        }
    )
    st.markdown(
        _("For each column of the data, pick a column of your file or type a constant value.")
    )
    edited = st.data_editor(
        editor,
        hide_index=True,
        width="stretch",
        disabled=["field", "required"],
        key=f"cur_map_{shape}_{chosen.resource}",
        column_config={
            "field": st.column_config.TextColumn(_("Column of the data")),
            "column": st.column_config.SelectboxColumn(
                _("Column of your file"), options=[NONE, *table.columns]
            ),
            "constant": st.column_config.TextColumn(_("Constant value")),
            "required": st.column_config.CheckboxColumn(_("Required")),
        },
        placeholder="",
    )
    for row in edited.itertuples(index=False):
        if isinstance(row.column, str) and row.column and row.column != NONE:
            chosen.columns[str(row.field)] = row.column
        elif isinstance(row.constant, str) and row.constant.strip():
            chosen.constants[str(row.field)] = row.constant.strip()


def _known(desk: Desk, shape: str, chosen: Mapping) -> None:
    """Programme and source picked from the data when no column gives them."""
    _ = desk._
    spots = st.columns(2)
    for spot, (name, target, title) in zip(
        spots,
        [
            ("programme_id", "programmes", _("Programme of these figures")),
            ("source_id", "sources", _("Source of these figures")),
        ],
        strict=True,
    ):
        if name in chosen.columns:
            continue
        ids = mapping.known_ids(desk.store.current(), target)
        current = chosen.constants.get(name, "")
        options: list[str] = ["", *ids] if current in ids or not current else ["", current, *ids]

        def named(value: str, ids: dict[str, str] = ids) -> str:
            return ids.get(value, value) if value else "—"

        picked = spot.selectbox(
            title,
            options,
            index=options.index(current),
            format_func=named,
            key=f"cur_{name}_{shape}",
        )
        if picked:
            chosen.constants[name] = picked


def _figures(
    desk: Desk, table: reading.Table, shape: str, proposal: Mapping, chosen: Mapping
) -> None:
    """Count columns: measure, group, and the whole a « dont » column is part of."""
    _, tr = desk._, desk.tr
    counts = st.multiselect(
        _("Columns holding figures (one figure per column and row)"),
        table.columns,
        default=[c for c in proposal.measures if c in table.columns],
        placeholder=_("Choose columns"),  # Streamlit's own is English: « Choose options »
        key=f"cur_counts_{shape}",
    )
    if not counts:
        return
    measures = list(contract().enum(FACTS, "measure"))
    groups = [NONE, *contract().enum(FACTS, "group")]
    frame = pd.DataFrame(
        {
            "column": counts,
            "measure": [proposal.measures.get(c, "reached") for c in counts],
            "group": [proposal.groups.get(c, NONE) for c in counts],
            "part_of": [proposal.parts.get(c, NONE) for c in counts],
        }
    )
    st.caption(
        _(
            "A « dont » column (« dont enfants ») is a part of another column: its figures "
            "name their whole and are never added to it."
        )
    )
    edited = st.data_editor(
        frame,
        hide_index=True,
        width="stretch",
        disabled=["column"],
        key=f"cur_figures_{shape}_{_key(*counts)}",
        column_config={
            "column": st.column_config.TextColumn(_("Column of your file")),
            "measure": st.column_config.SelectboxColumn(
                _("Measure"),
                options=measures,
                required=True,
                format_func=lambda m: f"{label(tr, 'measure', str(m))} ({m})",
            ),
            "group": st.column_config.SelectboxColumn(
                _("Group"),
                options=groups,
                required=True,
                format_func=lambda g: (
                    _("the row's group") if g == NONE else label(tr, "group", str(g))
                ),
            ),
            "part_of": st.column_config.SelectboxColumn(
                _("Part of (« dont »)"), options=[NONE, *counts], required=True
            ),
        },
        placeholder="",
    )
    for row in edited.itertuples(index=False):
        column = str(row.column)
        chosen.measures[column] = str(row.measure or "reached")
        if isinstance(row.group, str) and row.group not in {"", NONE}:
            chosen.groups[column] = row.group
        if isinstance(row.part_of, str) and row.part_of not in {"", NONE, column}:
            chosen.parts[column] = row.part_of


def _numbers(
    desk: Desk, table: reading.Table, shape: str, proposal: Mapping, chosen: Mapping
) -> None:
    """How each column holding numbers is read, and the curator's choice of separator."""
    _, tr = desk._, desk.tr
    resource = contract().resource(chosen.resource)
    numeric = [
        c
        for f, c in chosen.columns.items()
        if resource.field(f).type in {"integer", "number"} and c in table.columns
    ]
    columns = list(dict.fromkeys([*numeric, *chosen.measures]))
    if not columns:
        return
    found = {c: _decided(table, c, chosen.decimal) for c in columns}

    def how(column: str) -> str:
        numbers = found[column]
        sign = _("decimal comma") if numbers.decimal == "," else _("decimal point")
        if numbers.decided_by == "values":
            return _("{separator}, from its values", separator=sign)
        if numbers.ambiguous:
            return tr.ngettext(
                "{separator}, the file's convention; {n} value reads two ways",
                "{separator}, the file's convention; {n} values read two ways",
                len(numbers.ambiguous),
                separator=sign,
            )
        return _("{separator}, the file's convention", separator=sign)

    frame = pd.DataFrame(
        {
            "column": columns,
            "read": [how(c) for c in columns],
            "choice": [proposal.decimals.get(c, AUTO) for c in columns],
        }
    )
    with st.expander(_("Numbers: the decimal separator of each column")):
        edited = st.data_editor(
            frame,
            hide_index=True,
            width="stretch",
            disabled=["column", "read"],
            key=f"cur_numbers_{shape}_{_key(*columns)}",
            column_config={
                "column": st.column_config.TextColumn(_("Column of your file")),
                "read": st.column_config.TextColumn(_("Read as")),
                "choice": st.column_config.SelectboxColumn(
                    _("Decimal separator"),
                    options=[AUTO, ",", "."],
                    required=True,
                    format_func=lambda d: (
                        _("as read")
                        if d == AUTO
                        else _("comma (1.234,5)")
                        if d == ","
                        else _("point (1,234.5)")
                    ),
                ),
            },
            placeholder="",
        )
    for row in edited.itertuples(index=False):
        if row.choice in {",", "."}:
            chosen.decimals[str(row.column)] = str(row.choice)


def _decided(table: reading.Table, column: str, default: str) -> reading.ColumnNumbers:
    """How a column's numbers read (kept per file and column: a rerun does not recompute)."""
    cache: dict[tuple[int, str, str], reading.ColumnNumbers] = st.session_state.setdefault(
        "cur_numbers_read", {}
    )
    key = (id(table), column, default)
    if key not in cache:
        if len(cache) > 200:
            cache.clear()
        cache[key] = reading.column_numbers(
            set(table.column_values(column)), default, typed=column in table.typed_columns
        )
    return cache[key]
