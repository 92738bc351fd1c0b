"""The reference for benchmarks/bench_calc.py: a bare Streamlit page with one input and one line of
output, the least any page can do after a change. Not part of the app."""

import streamlit as st

value = st.number_input("Värde", value=10.0, key="value")
st.markdown(f"#### Värdet är {value:g}")
