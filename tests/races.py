"""Races on PostgreSQL: calls started at once in threads, each on its own database connection."""

import os
import threading

import pytest
from django.db import connection, connections


def require_postgresql():
    """Skip (fail under REQUIRE_SERVICES=1) unless the test database is PostgreSQL, whose row locks a race needs."""
    if connection.vendor != "postgresql":
        reason = f"needs PostgreSQL for row locks (using {connection.vendor})"
        if os.environ.get("REQUIRE_SERVICES") == "1":
            pytest.fail(reason + " (REQUIRE_SERVICES=1)")
        pytest.skip(reason)


def run_together(*calls):
    """Start every call at once in its own thread (and database connection); their results or errors."""
    barrier = threading.Barrier(len(calls))
    outcomes = [None] * len(calls)

    def run(index, call):
        try:
            barrier.wait()
            outcomes[index] = call()
        except Exception as error:  # noqa: BLE001 - the test reads which call lost and how
            outcomes[index] = error
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(index, call)) for index, call in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return outcomes
