"""Data curation: read any spreadsheet, map it to the contract, report, preview and write safely.

``reading`` turns uploaded bytes into a table of text, ``mapping`` turns that
table into rows of the data contract, ``report`` validates the candidate data
folder and explains every problem, ``diff`` previews the change, ``store``
writes it atomically with backups, a change log and undo, and ``auth`` decides
who may write. None of these modules imports Streamlit; ``pages/data.py`` is
their only user interface.
"""
