"""The Auth0 host's own modules, one package so that they never collide with another app's.

- ``events``: the Component Received Events Handler (onStatusUpdate, onActionRequest,
  onApiResult, onError);
- ``state``: the Session State (the user, the access token, the answers of each pattern);
- ``settings``: the host's settings, read from the environment on every run;
- ``api_client``: the host's own calls to the Flask API (delegated requests);
- ``answers``, ``user_panel``: how answers, the status line and the user are shown;
- ``views/``: the page scripts of ``st.navigation`` (run as scripts, not imported).

``app.py`` (the Streamlit entry script) wires them to the Component Host Wrapper
(``stcomp_host.ComponentHost``) and does the Component Rerun Management: one ``st.rerun()``
after an event changed the state, so that the status line, the props and the page list follow.
"""
