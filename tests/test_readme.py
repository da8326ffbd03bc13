"""The README is the front door: its commands must be the ones that work."""

from __future__ import annotations

import doctest
import re
from pathlib import Path

from search.cli import cli

from .cli_reference import reference
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


def test_every_command_is_in_the_guide() -> None:
    guide = (PROJECT / "docs" / "guide.md").read_text("utf-8")
    for name in cli.commands:
        assert f"## `search {name}" in guide, name


def test_the_command_reference_is_the_help_of_today() -> None:
    """docs/cli.md is made by `python -m tests.cli_reference > docs/cli.md`."""
    assert (PROJECT / "docs" / "cli.md").read_text("utf-8") == reference()


def test_the_readme_is_short_and_its_links_lead_somewhere() -> None:
    assert README.count("\n") <= 250
    for target in re.findall(r"\]\((docs/[\w./-]+)", README):
        assert (PROJECT / target).is_file(), target


def test_the_python_api_examples_run(home: Path) -> None:
    failed, tried = doctest.testfile(
        str(PROJECT / "docs" / "python-api.md"),
        module_relative=False,
        globs={"home": home},
        optionflags=doctest.ELLIPSIS,
    )
    assert tried >= 10 and failed == 0


def test_every_record_the_archive_returns_is_exported() -> None:
    import search

    for name in search.__all__:
        assert getattr(search, name).__name__ == name
