"""Exports for communications staff and fundraisers: images, spreadsheets, sentences, reports.

Nothing here imports Streamlit: the app, the tests and ``scripts/bench_exports.py``
build the same files from a ``View`` (``impact.exports.view.build_view``).
"""
