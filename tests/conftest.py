"""Shared test settings: Hypothesis profiles bounded so that CI stays within its time, and no skip
when ``IPTCORE_NO_SKIP=1``.

A test skips, saying why, when an optional extra or Chromium is missing, so that the suite runs on
a bare install. Installed with the ``test`` extra (as CI installs it, with Chromium), nothing may
skip: with ``IPTCORE_NO_SKIP=1`` in the environment a skip is a failure, so a dependency or feature
that went missing fails the run instead of passing unseen.
"""

from __future__ import annotations

import builtins
import os
from collections.abc import Callable, Iterator
from concurrent.futures import Executor

import pytest
from hypothesis import HealthCheck, Phase, settings

#: Whether a skip fails the run (CI sets ``IPTCORE_NO_SKIP=1``).
NO_SKIP = os.environ.get("IPTCORE_NO_SKIP") == "1"

settings.register_profile(
    "ci",
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
    print_blob=True,
)
settings.register_profile("dev", max_examples=25, deadline=None)
settings.register_profile("thorough", max_examples=1000, deadline=None)
# Mutation testing (mutation/run.sh): the examples of "dev", and a failure found is the answer, so
# no shrinking and no explaining it (a stateful test shrinking under mutmut's trampolines took
# minutes per mutant), and shorter walks of the course's state machine (10 steps, not 50: its
# invariants check the whole course at every step); failures found for earlier mutants are tried
# first (the example database).
settings.register_profile(
    "mutation",
    max_examples=25,
    stateful_step_count=10,
    deadline=None,
    phases=[Phase.explicit, Phase.reuse, Phase.generate],
    suppress_health_check=[HealthCheck.too_slow],
)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))


@pytest.fixture
def dask_executor() -> Iterator[Executor]:
    """The executor of a local Dask cluster of 2 worker processes (``Client.get_executor()``);
    the test is skipped, saying why, without the ``dask`` extra."""
    distributed = pytest.importorskip(
        "distributed", reason='needs dask.distributed: pip install "iptcore[dask]"'
    )
    with (
        distributed.LocalCluster(
            n_workers=2, threads_per_worker=1, processes=True, dashboard_address=":0"
        ) as cluster,
        distributed.Client(cluster) as client,
    ):
        yield client.get_executor()


def _no_skip(report: pytest.TestReport | pytest.CollectReport) -> None:
    """Turn a skip (not an expected failure) into a failure that says why it skipped."""
    if NO_SKIP and report.skipped and not hasattr(report, "wasxfail"):
        longrepr = report.longrepr
        why = longrepr[2] if isinstance(longrepr, tuple) else str(longrepr)
        report.outcome = "failed"
        report.longrepr = f"skipped, and IPTCORE_NO_SKIP=1 allows no skip: {why}"


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> pytest.TestReport:
    report: pytest.TestReport = yield
    _no_skip(report)
    return report


@pytest.hookimpl(wrapper=True)
def pytest_make_collect_report(collector: pytest.Collector) -> pytest.CollectReport:
    report: pytest.CollectReport = yield
    _no_skip(report)  # a module that skips as a whole (pytest.importorskip at its top)
    return report


@pytest.fixture
def without_module(monkeypatch: pytest.MonkeyPatch) -> Callable[[str], None]:
    """``without_module("pandas")``: from then on, for the test, importing that module or one of
    its submodules fails as it does when the optional extra is not installed."""
    real_import = builtins.__import__

    def block(blocked: str) -> None:
        def without(name: str, *args: object, **kwargs: object) -> object:
            if name == blocked or name.startswith(f"{blocked}."):
                raise ImportError(f"No module named {name!r}")
            return real_import(name, *args, **kwargs)  # type: ignore[arg-type]

        monkeypatch.setattr(builtins, "__import__", without)

    return block
