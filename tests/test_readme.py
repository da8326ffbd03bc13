"""The README is the front door: its commands must be the ones that work."""

from __future__ import annotations

import re

from search.cli import cli

from .conftest import PROJECT

README = (PROJECT / "README.md").read_text("utf-8")


def _bash_blocks() -> list[str]:
    return re.findall(r"```bash\n(.*?)\n```", README, re.S)


def test_the_first_two_commands_install_and_query_then_install_and_test() -> None:
    try_it, run_tests = _bash_blocks()[:2]
    assert "pip install -e ." in try_it and "search query" in try_it
    assert "'.[test]'" in run_tests and "pytest" in run_tests


def test_ci_runs_the_readme_test_command() -> None:
    run_tests = _bash_blocks()[1]
    assert run_tests in (PROJECT / ".ci" / "run").read_text("utf-8")


def test_every_command_is_documented() -> None:
    for name in cli.commands:
        assert f"### `search {name}" in README, name
