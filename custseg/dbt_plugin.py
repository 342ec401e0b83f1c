"""dbt-duckdb plugin (profiles.yml `plugins`): gives dbt's DuckDB connections the function
`custseg_landing_plan(raw_dir, sources_json, vars_json, taken_json)`, so that the on-run-start macro
(macros/raw_landing_zone.sql) reads the landing zone exactly as the Great Expectations
checkpoint does: both ask custseg.landing."""

from __future__ import annotations

from typing import Any

from dbt.adapters.duckdb.plugins import BasePlugin

from custseg.landing import plan_json

FUNCTION = "custseg_landing_plan"


def register(connection: Any) -> None:
    """Create the function on one DuckDB connection (a second call is a no-op)."""
    try:
        connection.create_function(
            FUNCTION,
            plan_json,
            ["VARCHAR", "VARCHAR", "VARCHAR", "VARCHAR"],
            "VARCHAR",
            side_effects=True,
        )
    except Exception as error:  # already registered on this connection
        if "already" not in str(error).lower():
            raise


class Plugin(BasePlugin):
    def configure_connection(self, conn: Any) -> None:
        register(conn)

    def configure_cursor(self, cursor: Any) -> None:
        register(cursor)
