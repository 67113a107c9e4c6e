"""Shared by every test folder: with ``FACTLINT_NO_SKIP=1`` (``.ci/run`` sets it) a skipped
test is a failure, so CI cannot pass by silently not running the PostgreSQL, Dask or editor
tests."""

from __future__ import annotations

import os

import pytest

NO_SKIP = os.environ.get("FACTLINT_NO_SKIP") == "1"


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]):  # noqa: ANN201
    outcome = yield
    report = outcome.get_result()
    if NO_SKIP and report.skipped and not hasattr(report, "wasxfail"):
        report.outcome = "failed"
        report.longrepr = f"skipped under FACTLINT_NO_SKIP=1: {report.longrepr}"


@pytest.fixture(scope="session")
def pg_url() -> str:
    """A PostgreSQL server to keep indexes in (``.ci/run`` starts one and sets
    ``FACTLINT_TEST_POSTGRES``)."""
    url = os.environ.get("FACTLINT_TEST_POSTGRES")
    if not url:
        pytest.skip("FACTLINT_TEST_POSTGRES is not set (no PostgreSQL server to test with)")
    pytest.importorskip("psycopg")
    return url
