"""docs/cli.md, made from the commands' own --help.

    python -m tests.cli_reference > docs/cli.md

tests/test_readme.py fails when the file and the help differ.
"""

from __future__ import annotations

import click
from click.testing import CliRunner

from search.cli import cli


def _help(*path: str) -> str:
    result = CliRunner().invoke(cli, [*path, "--help"], terminal_width=100)
    return result.output.replace("Usage: cli", "Usage: search").rstrip()


def reference() -> str:
    """Every command's help, in the order `search --help` lists them."""
    parts = ["# Command reference", "", "Made from `--help`: `python -m tests.cli_reference > docs/cli.md`.", ""]
    parts += ["## search", "", "```", _help(), "```", ""]
    for name, command in cli.commands.items():
        parts += [f"## search {name}", "", "```", _help(name), "```", ""]
        if isinstance(command, click.Group):
            for sub in command.commands:
                parts += [f"### search {name} {sub}", "", "```", _help(name, sub), "```", ""]
    return "\n".join(parts)


if __name__ == "__main__":
    print(reference(), end="")
