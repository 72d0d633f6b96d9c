"""The marker-delimited blocks scaffold adds to a workspace's config and Procfile, and the
.gitignore merge: text in, text out."""

from __future__ import annotations

from pathlib import Path

import pytest

from stcomp.errors import UsageError
from stcomp.scaffold.layout import Layout
from stcomp.scaffold.workspace import (
    append_block,
    config_without_block,
    defines_stack,
    merge_lines,
    procfile_without_block,
    uses_process,
)

ROOT = Path("/ws")
PYPROJECT = Layout(ROOT, ROOT / "pyproject.toml", ROOT / "Procfile", ROOT / "apps" / "x", False, {})
STCOMP_TOML = Layout(ROOT, ROOT / "stcomp.toml", ROOT / "Procfile", ROOT / "x", True, {})
STACK = '[tool.stcomp.stacks.foo]\ndescription = "foo"\n'


def test_a_block_is_appended_after_a_blank_line() -> None:
    text = append_block("[project]\nname = 'p'", STACK + "\n\n", "foo", "vite")
    assert text == (
        "[project]\nname = 'p'\n\n"
        "# stcomp scaffold: foo (vite template; 'stcomp scaffold --force' replaces it)\n"
        f"{STACK}"
        "# end of stcomp scaffold: foo\n"
    )
    assert append_block("", "a: b", "foo", "html").startswith("\n# stcomp scaffold: foo")


def test_force_removes_exactly_the_named_block() -> None:
    before = "[project]\nname = 'p'\n"
    with_foo = append_block(before, STACK, "foo", "vite")
    both = append_block(with_foo, STACK.replace("foo", "foobar"), "foobar", "vite")
    rest = config_without_block(both, "foo", PYPROJECT, force=True)
    assert rest == append_block(before, STACK.replace("foo", "foobar"), "foobar", "vite")
    assert config_without_block(rest, "foobar", PYPROJECT, force=True) == before


def test_a_scaffolded_stack_needs_force() -> None:
    text = append_block("", STACK, "foo", "vite")
    with pytest.raises(UsageError, match="stack 'foo' already exists in /ws") as caught:
        config_without_block(text, "foo", PYPROJECT, force=False)
    assert caught.value.hint == "use --force to replace it (its folder too)"


@pytest.mark.parametrize("force", [False, True])
def test_a_stack_written_by_hand_is_never_replaced(force: bool) -> None:
    text = "[tool.stcomp.stacks.foo.services.web]\nprocess = 'web'\n"
    with pytest.raises(UsageError, match=r"'foo' is already used by /ws/pyproject\.toml"):
        config_without_block(text, "foo", PYPROJECT, force=force)


def test_which_tables_define_a_stack() -> None:
    assert defines_stack("[tool.stcomp.stacks.foo]\n", "tool.stcomp.stacks.foo")
    assert defines_stack("  [ stacks.foo.services.web ]\n", "stacks.foo")
    assert not defines_stack("[stacks.foobar]\n", "stacks.foo")
    assert not defines_stack("# [stacks.foo]\n", "stacks.foo")
    assert not defines_stack("[stacks.foo]\n", STCOMP_TOML.stack_table("bar"))
    assert STCOMP_TOML.stack_table("foo") == "stacks.foo"
    assert PYPROJECT.stack_table("foo") == "tool.stcomp.stacks.foo"


def test_which_procfile_entries_use_a_name() -> None:
    procfile = "zero: exec a\nfoo-component: exec b\n"
    assert uses_process(procfile, "foo")
    assert uses_process("foo: exec a\n", "foo")
    assert not uses_process(procfile, "fo")
    assert not uses_process("  foo: indented, not an entry\n", "foo")
    with pytest.raises(UsageError, match=r"'foo' is already used by /ws/Procfile"):
        procfile_without_block(procfile, "foo", PYPROJECT, force=True)


def test_a_procfile_block_is_replaced_with_force() -> None:
    text = append_block("zero: exec a\n", "foo: exec b\nfoo-component: exec c", "foo", "vite")
    assert procfile_without_block(text, "foo", PYPROJECT, force=True) == "zero: exec a\n"
    with pytest.raises(UsageError, match="already exists"):
        procfile_without_block(text, "foo", PYPROJECT, force=False)


def test_gitignore_lines_are_merged_once() -> None:
    assert merge_lines("", ".stcomp/\n.env\n") == ".stcomp/\n.env\n"
    assert (
        merge_lines("node_modules/\n.env", ".stcomp/\n\n.env\n")
        == "node_modules/\n.env\n.stcomp/\n"
    )
    assert merge_lines("a\n", "a\n") == "a\n"
