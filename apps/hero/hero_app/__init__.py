"""The Hero host's own modules, one package so that they never collide with another app's.

- ``events``: the Component Received Events Handler, one handler per event the component sends;
- ``state``: the Session State (login token, status line, event report, queued toasts);
- ``settings``: the host's settings, read from the environment on every run;
- ``views/``: the page scripts of ``st.navigation`` (run as scripts, not imported).

``app.py`` (the Streamlit entry script) wires them to the Component Host Wrapper
(``stcomp_host.ComponentHost``) and does the Component Rerun Management: one ``st.rerun()``
after an event changed the state, so that the props and the page list follow it.
"""
