"""Shared test settings: Hypothesis profiles bounded so that CI stays within its time."""

from __future__ import annotations

import os
from collections.abc import Iterator
from concurrent.futures import Executor

import pytest
from hypothesis import HealthCheck, settings

settings.register_profile(
    "ci",
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
    print_blob=True,
)
settings.register_profile("dev", max_examples=25, deadline=None)
settings.register_profile("thorough", max_examples=1000, deadline=None)
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
