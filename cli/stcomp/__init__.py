"""stcomp: run, check and scaffold Streamlit custom components and the services around them."""

__version__ = "0.1.0"
