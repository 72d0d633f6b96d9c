"""The auth0 stack definition hands the services the same wiring the servers default to."""

from __future__ import annotations

from server.shared import reference
from stcomp.config import load_workspace
from tests.conftest import REPO


def test_the_stack_env_agrees_with_the_reference_values() -> None:
    stack = load_workspace(REPO).stack("auth0")
    assert stack.env["AUTH0_AUDIENCE"] == reference.API_AUDIENCE
    assert stack.env["AUTH0_CLIENT_ID"] == reference.CLIENT_ID
    assert stack.env["AUTH0_SPA_CLIENT_ID"] == reference.SPA_CLIENT_ID
    assert reference.READ_MESSAGES in (stack.login.scope if stack.login else "")
    ports = load_workspace(REPO).ports
    assert (ports["streamlit"], ports["component"], ports["api"], ports["idp"]) == (
        reference.STREAMLIT_PORT,
        reference.COMPONENT_PORT,
        reference.API_PORT,
        reference.IDP_PORT,
    )
