"""Auth0: a Streamlit host for a Next.js component that logs in with Auth0 in a popup.

Run: `stcomp up auth0` (identity provider, Flask API, Next.js component, this app). The
component is served by Next.js at COMPONENT_URL in both modes (`next dev`, or `next start` with
--release): its /auth/* routes need a server. Profile is listed only while the component has
reported a valid, unexpired access token, Messages only when that token carries the permission
it needs; "Streamlit login" shows the same provider through Streamlit's own st.login.
"""

from __future__ import annotations

import streamlit as st
from auth0_app import events, settings, state, user_panel
from auth0_app.state import MESSAGES_PERMISSION

from stcomp_host import ComponentHost, declare

st.set_page_config(page_title="Auth0", page_icon=":material/lock:", layout="centered")

config = settings.load()
auth0 = state.current()
auth0.check_expiry()

st.title("Auth0", anchor=False)
for message in auth0.take_toasts():
    st.toast(message, icon=":material/campaign:")

user_panel.status_line(auth0)
if auth0.token_valid:
    user_panel.user_expander(auth0)

with st.sidebar:
    st.caption(f"{config.host_name} · {'release' if config.release else 'dev'} mode")
    if st.user.get("is_logged_in"):  # st.login's (the "Streamlit login" page), not the component's
        with st.container(key="native-status"):
            st.caption(f"Signed in with st.login as {st.user.get('name') or st.user.get('sub')}")
    to_component = st.text_input(
        "Message to the component", value="Hello from Streamlit", max_chars=200
    )

# Served by its own server in both modes (`next dev`, or `next start` in release mode): its
# auth routes and API routes need a server, so there is no static build.
component = declare("auth0", build_dir=None, dev_url=config.component_url)
host = ComponentHost(component, key="auth0", events=events.HANDLERS, on_error=events.on_host_error)
last = host.last_event
host.render(
    hostName=config.host_name,
    status=auth0.status,
    message=to_component,
    handled=str(last["id"]) if last else "",
)
if auth0.take_changed():
    st.rerun()  # the status line, the user panel, the props and the page list follow the event

views = settings.VIEWS_DIR
pages = [st.Page(views / "home.py", title="Home", icon=":material/home:", default=True)]
if auth0.token_valid:
    pages.append(st.Page(views / "profile.py", title="Profile", icon=":material/badge:"))
    if auth0.may(MESSAGES_PERMISSION):  # show what this user can use
        pages.append(st.Page(views / "messages.py", title="Messages", icon=":material/mail:"))
    else:
        with st.sidebar, st.container(key="messages-refused"):
            st.caption(
                f"Messages needs the `{MESSAGES_PERMISSION}` permission, which"
                f" {auth0.user_name}'s token does not carry."
            )
pages.append(st.Page(views / "native_login.py", title="Streamlit login", icon=":material/login:"))
st.navigation(pages).run()
