"""Streamlit-side shared code: the page frame and navigation, session state, cached resources.

Pages import from here and from engine/; engine/ never imports this package.
"""
