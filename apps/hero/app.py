"""Hero: a Streamlit host for a Next.js component, a fake password generator that logs in.

Run: streamlit run apps/hero/app.py (HERO_PASSWORD must be set). Dev mode loads the component
from its `next dev` server at COMPONENT_URL; release mode (STCOMP_RELEASE=1) serves the static
export in frontend/out. The extra pages are listed only while the user is logged in.
"""

from __future__ import annotations

import streamlit as st
from hero_app import events, settings, state

from stcomp_host import ComponentHost, declare, is_release

st.set_page_config(page_title="Hero", page_icon="🔑", layout="centered")

config = settings.load()
hero = state.current()
hero.runs += 1
hero.debug = hero.debug or config.debug or st.query_params.get("debug") == "1"

st.title("Hero", anchor=False)
if not config.password:
    st.error(settings.MISSING_PASSWORD_HELP)
    st.stop()
if is_release() and not (settings.BUILD_DIR / "index.html").is_file():
    st.error(settings.MISSING_BUILD_HELP)
    st.stop()

for message in hero.take_toasts():
    st.toast(message, icon=":material/campaign:")

component = declare("hero", build_dir=settings.BUILD_DIR, dev_url=config.component_url)
host = ComponentHost(component, key="hero", events=events.HANDLERS, on_error=events.on_host_error)
host.render(
    hostName=config.host_name,
    password=config.password,
    token=hero.token,
    status=hero.status_line(),
    debug=hero.debug,
)
if hero.take_changed():
    st.rerun()  # so the props (token, status) and the page list reflect the event just handled

with st.sidebar:
    st.caption(f"{config.host_name} · {'release' if is_release() else 'dev'} mode")
    if hero.token:
        st.success("Logged in", icon=":material/lock_open:")
    else:
        st.info("Log in with the password generator to see more pages.", icon=":material/lock:")

views = settings.VIEWS_DIR
pages = [st.Page(views / "home.py", title="Home", icon=":material/home:", default=True)]
if hero.token:
    pages.append(st.Page(views / "secret.py", title="Secret", icon=":material/key:"))
st.navigation(pages).run()
