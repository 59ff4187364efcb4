"""Impact dashboard core: curated NGO reach figures, counted correctly.

Everything here runs without Streamlit (a test proves it); ``impact.ui`` is the
only module that talks to Streamlit, so the same code serves pages, exports,
benchmarks and tests.
"""
