"""The command line: arguments after `--` go to dbt build as they are, without the `--`."""

from __future__ import annotations

import pytest

from custseg.cli import parse_args


@pytest.mark.parametrize("command", ["run", "build"])
def test_arguments_after_the_separator_go_to_dbt_without_it(command: str) -> None:
    args = parse_args([command, "--raw-dir", "/data", "--", "--select", "staging+"])
    assert args.dbt_args == ["--select", "staging+"]
    assert args.raw_dir == "/data"


def test_arguments_without_a_separator_are_kept_whole() -> None:
    assert parse_args(["run", "--skip-validation"]).dbt_args == []
    assert parse_args(["build", "--", "--vars", "{a: 1}"]).dbt_args == ["--vars", "{a: 1}"]
