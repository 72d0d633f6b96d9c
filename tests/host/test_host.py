"""ComponentHost and declare(): event dispatch, error routing, props, dev/release declaration.

Dispatch is tested twice: with a fake component and a fake ``st`` (fast, every branch), and
through Streamlit's AppTest, where a component value is injected via session state under the
component's key (AppTest never runs the component's JavaScript).
"""

from __future__ import annotations

import json
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from streamlit.testing.v1 import AppTest

import stcomp_host as host
from stcomp_host import ComponentHost, declare

REPO = Path(__file__).resolve().parents[2]
ZERO_APP = REPO / "apps" / "zero" / "app.py"


class FakeComponent:
    """Stands in for a declared component: records each call, returns the value it is given."""

    def __init__(self) -> None:
        self.value: Any = None
        self.calls: list[dict[str, Any]] = []

    def __call__(self, **kwargs: Any) -> Any:
        self.calls.append(kwargs)
        return self.value


@pytest.fixture
def fake_st(monkeypatch: pytest.MonkeyPatch) -> SimpleNamespace:
    """Replace the ``st`` that host.py uses with a dict session state and a recorded st.error."""
    errors: list[str] = []
    fake = SimpleNamespace(session_state={}, error=errors.append, errors=errors)
    monkeypatch.setattr(host, "st", fake)
    return fake


@pytest.fixture
def component() -> FakeComponent:
    return FakeComponent()


def envelope(event: str, data: Any, event_id: str) -> dict[str, Any]:
    return {"event": event, "data": data, "id": event_id}


# --- dispatch with a fake component -------------------------------------------------------


def test_props_are_passed_as_args_under_the_stable_key(
    fake_st: SimpleNamespace, component: FakeComponent
) -> None:
    comp_host = ComponentHost(component, key="zero", events={})
    comp_host.render(greeting="hi", rerun_count=1)
    comp_host.render(greeting="hi", rerun_count=2)
    assert component.calls == [
        {"greeting": "hi", "rerun_count": 1, "key": "zero", "default": None},
        {"greeting": "hi", "rerun_count": 2, "key": "zero", "default": None},
    ]


def test_each_event_id_is_dispatched_exactly_once(
    fake_st: SimpleNamespace, component: FakeComponent
) -> None:
    seen: list[Any] = []
    comp_host = ComponentHost(component, key="zero", events={"onTextChange": seen.append})
    component.value = envelope("onTextChange", {"text": "a"}, "1")
    for _ in range(3):  # the value persists across reruns
        comp_host.render()
    component.value = envelope("onTextChange", {"text": "a"}, "2")  # same data, new id
    comp_host.render()
    comp_host.render()
    assert seen == [{"text": "a"}, {"text": "a"}]


def test_dispatch_state_survives_a_new_host_object(
    fake_st: SimpleNamespace, component: FakeComponent
) -> None:
    """Each script run builds a new ComponentHost: what was handled lives in session state."""
    seen: list[Any] = []
    component.value = envelope("onTextChange", "x", "1")
    for _ in range(2):
        ComponentHost(component, key="zero", events={"onTextChange": seen.append}).render()
    assert seen == ["x"]
    assert any(key.endswith("zero") for key in fake_st.session_state)


def test_last_result_and_last_event_are_kept(
    fake_st: SimpleNamespace, component: FakeComponent
) -> None:
    comp_host = ComponentHost(component, key="zero", events={"onTextChange": str.upper})
    assert comp_host.render() is None
    assert comp_host.last_result is None
    assert comp_host.last_event is None
    component.value = envelope("onTextChange", "hello", "1")
    assert comp_host.render() == "HELLO"
    assert comp_host.render() == "HELLO"
    assert comp_host.last_result == "HELLO"
    assert comp_host.last_event == envelope("onTextChange", "hello", "1")


def test_hosts_with_different_keys_do_not_share_state(fake_st: SimpleNamespace) -> None:
    first, second = FakeComponent(), FakeComponent()
    first.value = envelope("onTextChange", "one", "1")
    second.value = envelope("onTextChange", "two", "1")
    host_a = ComponentHost(first, key="a", events={"onTextChange": lambda data: data})
    host_b = ComponentHost(second, key="b", events={"onTextChange": lambda data: data})
    assert (host_a.render(), host_b.render()) == ("one", "two")


def test_unknown_event_goes_to_on_error_naming_event_and_subscriptions(
    fake_st: SimpleNamespace, component: FakeComponent
) -> None:
    errors: list[str] = []
    seen: list[Any] = []
    comp_host = ComponentHost(
        component,
        key="zero",
        events={"onTextChange": seen.append, "onStatusUpdate": seen.append},
        on_error=errors.append,
    )
    component.value = envelope("onMystery", {"x": 1}, "1")
    comp_host.render()
    comp_host.render()
    assert seen == []
    assert len(errors) == 1
    assert "'onMystery'" in errors[0]
    assert "not subscribed" in errors[0]
    assert "onStatusUpdate, onTextChange" in errors[0]
    assert fake_st.errors == []


def test_unknown_event_falls_back_to_the_onerror_event_handler(
    fake_st: SimpleNamespace, component: FakeComponent
) -> None:
    errors: list[str] = []
    comp_host = ComponentHost(
        component, key="zero", events={"onTextChange": print, "onError": errors.append}
    )
    component.value = envelope("onMystery", None, "1")
    comp_host.render()
    assert len(errors) == 1
    assert "'onMystery'" in errors[0]
    assert "onError, onTextChange" in errors[0]


def test_unknown_event_without_any_error_handler_is_shown_with_st_error(
    fake_st: SimpleNamespace, component: FakeComponent
) -> None:
    comp_host = ComponentHost(component, key="zero", events={})
    component.value = envelope("onMystery", None, "1")
    comp_host.render()
    comp_host.render()
    assert len(fake_st.errors) == 1
    assert "'onMystery'" in fake_st.errors[0]
    assert "subscribed: none" in fake_st.errors[0]


def test_component_reported_error_reaches_on_error(
    fake_st: SimpleNamespace, component: FakeComponent
) -> None:
    errors: list[str] = []
    comp_host = ComponentHost(component, key="zero", events={}, on_error=errors.append)
    component.value = envelope("onError", "render failed: boom", "1")
    comp_host.render()
    assert errors == ["component 'zero' reported an error: render failed: boom"]


@pytest.mark.parametrize(
    ("value", "reason"),
    [
        ("just text", "got str"),
        (42, "got int"),
        ([1, 2], "got list"),
        ({"data": 1, "id": "1"}, "'event' is missing"),
        ({"event": "", "id": "1"}, "'event' is missing"),
        ({"event": "onTextChange", "data": 1}, "has no 'id'"),
        ({"event": "onTextChange", "data": 1, "id": True}, "has no 'id'"),
    ],
)
def test_malformed_value_goes_to_on_error_once(
    fake_st: SimpleNamespace, component: FakeComponent, value: Any, reason: str
) -> None:
    errors: list[str] = []
    seen: list[Any] = []
    comp_host = ComponentHost(
        component, key="zero", events={"onTextChange": seen.append}, on_error=errors.append
    )
    component.value = value
    comp_host.render()
    comp_host.render()
    assert seen == []
    assert len(errors) == 1
    assert "malformed value" in errors[0]
    assert reason in errors[0]


def test_errors_do_not_replace_the_last_result(
    fake_st: SimpleNamespace, component: FakeComponent
) -> None:
    errors: list[str] = []
    comp_host = ComponentHost(
        component, key="zero", events={"onTextChange": lambda d: d}, on_error=errors.append
    )
    component.value = envelope("onTextChange", "kept", "1")
    comp_host.render()
    component.value = envelope("onMystery", "x", "2")
    assert comp_host.render() == "kept"
    component.value = "garbage"
    assert comp_host.render() == "kept"
    assert len(errors) == 2
    assert comp_host.last_event == envelope("onTextChange", "kept", "1")


def test_a_handler_that_raises_is_not_run_again_on_the_next_rerun(
    fake_st: SimpleNamespace, component: FakeComponent
) -> None:
    calls: list[Any] = []

    def explode(data: Any) -> None:
        calls.append(data)
        raise RuntimeError("handler failed")

    comp_host = ComponentHost(component, key="zero", events={"onTextChange": explode})
    component.value = envelope("onTextChange", "x", "1")
    with pytest.raises(RuntimeError, match="handler failed"):
        comp_host.render()
    comp_host.render()
    assert calls == ["x"]


@pytest.mark.parametrize("prop", ["key", "default"])
def test_reserved_props_are_rejected(
    fake_st: SimpleNamespace, component: FakeComponent, prop: str
) -> None:
    comp_host = ComponentHost(component, key="zero", events={})
    with pytest.raises(ValueError, match="reserved"):
        comp_host.render(**{prop: "x"})
    assert component.calls == []


def test_an_empty_key_is_rejected(component: FakeComponent) -> None:
    with pytest.raises(ValueError, match="non-empty key"):
        ComponentHost(component, key="", events={})


# --- declare() -----------------------------------------------------------------------------


@pytest.fixture
def declared(monkeypatch: pytest.MonkeyPatch) -> list[dict[str, Any]]:
    calls: list[dict[str, Any]] = []

    def fake_declare_component(name: str, path: str | None = None, url: str | None = None) -> str:
        calls.append({"name": name, "path": path, "url": url})
        return f"component:{name}"

    monkeypatch.setattr(host, "declare_component", fake_declare_component)
    return calls


def test_declare_in_dev_mode_uses_the_dev_server(
    declared: list[dict[str, Any]], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.delenv("STCOMP_RELEASE", raising=False)
    declare("hero", build_dir=tmp_path, dev_url="http://localhost:3001")
    assert declared == [{"name": "hero", "path": None, "url": "http://localhost:3001"}]


def test_declare_in_release_mode_serves_the_build(
    declared: list[dict[str, Any]], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("STCOMP_RELEASE", "1")
    declare("hero", build_dir=tmp_path, dev_url="http://localhost:3001")
    assert declared == [{"name": "hero", "path": str(tmp_path), "url": None}]


def test_declare_without_dev_url_serves_the_build(
    declared: list[dict[str, Any]], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("STCOMP_RELEASE", "0")
    declare("zero", build_dir=tmp_path)
    assert declared == [{"name": "zero", "path": str(tmp_path), "url": None}]


def test_declare_without_build_dir_always_uses_its_server(
    declared: list[dict[str, Any]], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("STCOMP_RELEASE", "1")
    declare("auth0", build_dir=None, dev_url="http://localhost:3001")
    assert declared == [{"name": "auth0", "path": None, "url": "http://localhost:3001"}]
    with pytest.raises(ValueError, match="needs dev_url"):
        declare("auth0", build_dir=None)


def test_declare_rejects_a_relative_build_dir(declared: list[dict[str, Any]]) -> None:
    with pytest.raises(ValueError, match="must be absolute"):
        declare("zero", build_dir=Path("apps/zero/component"))
    assert declared == []


def test_declared_component_is_named_after_the_host_module(tmp_path: Path) -> None:
    component = declare("zero", build_dir=tmp_path)
    assert component.name == "stcomp_host.zero"
    assert component.path == str(tmp_path)


# --- through Streamlit (AppTest) -----------------------------------------------------------


def component_args(at: AppTest) -> dict[str, Any]:
    (element,) = at.get("component_instance")
    args: dict[str, Any] = json.loads(element.json_args)
    return args


def test_zero_app_sends_props_to_its_component() -> None:
    at = AppTest.from_file(str(ZERO_APP), default_timeout=30).run()
    assert not at.exception
    (element,) = at.get("component_instance")
    assert element.component_name == "stcomp_host.zero"
    assert element.key == "zero"
    args = component_args(at)
    assert args["greeting"] == "Hello from Streamlit"
    assert args["initial_text"] == ""
    assert args["rerun_count"] == 1
    assert args["timestamp"].endswith("+00:00")
    assert at.markdown[0].value.startswith("Nothing typed yet")
    at.run()
    assert component_args(at)["rerun_count"] == 2


def test_zero_app_shows_typed_text_from_an_injected_event() -> None:
    at = AppTest.from_file(str(ZERO_APP), default_timeout=30).run()
    at.session_state["zero"] = envelope("onTextChange", {"text": "hi *there*"}, "e1")
    at.run()
    assert not at.exception
    assert at.markdown[0].value == r"You typed: **hi \*there\***"
    at.run()  # the value persists; the text stays, nothing breaks
    assert at.markdown[0].value == r"You typed: **hi \*there\***"
    assert not at.error


def test_zero_app_reports_an_unsubscribed_event() -> None:
    at = AppTest.from_file(str(ZERO_APP), default_timeout=30).run()
    at.session_state["zero"] = envelope("onMystery", 1, "e1")
    at.run()
    assert not at.exception
    (error,) = at.error
    assert "'onMystery'" in error.value
    assert "onTextChange" in error.value


def counting_script(build_dir: str) -> None:
    """Runs inside AppTest: counts handler calls in session state."""
    from pathlib import Path

    import streamlit as st

    from stcomp_host import ComponentHost, declare

    def count(data: object) -> object:
        st.session_state["calls"] = st.session_state.get("calls", 0) + 1
        return data

    probe = declare("probe", build_dir=Path(build_dir))
    result = ComponentHost(probe, key="probe", events={"onPing": count}).render(n=1)
    st.text(f"result={result}")


def test_real_session_state_dispatches_once_across_reruns(tmp_path: Path) -> None:
    at = AppTest.from_function(counting_script, kwargs={"build_dir": str(tmp_path)})
    at.run()
    assert "calls" not in at.session_state
    at.session_state["probe"] = envelope("onPing", "pong", "p1")
    at.run()
    at.run()
    at.run()
    assert not at.exception
    assert at.session_state["calls"] == 1
    assert at.text[0].value == "result=pong"
    at.session_state["probe"] = envelope("onPing", "pong again", "p2")
    at.run()
    assert at.session_state["calls"] == 2
    assert at.text[0].value == "result=pong again"
