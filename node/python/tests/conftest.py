"""Fixtures: the build's outputs (from the environment ctest sets, else the
repository's build/ folder), a real pool process per test, and client configs
that keep every file inside the test's temp dir."""
import os
import socket
from pathlib import Path

import pytest

from pool_process import PoolProcess

REPO = Path(__file__).resolve().parents[3]


def _build_output(env_var, default):
    path = Path(os.environ.get(env_var) or default)
    if not path.exists():
        pytest.fail(f"{path} does not exist: build the project first, or set {env_var}")
    return str(path)


@pytest.fixture(scope="session")
def pool_bin():
    return _build_output("NEBULA_POOL_BIN", REPO / "build/bin/nebula-pool")


@pytest.fixture(scope="session")
def plugin_dir():
    return _build_output("NEBULA_PLUGIN_DIR", REPO / "build/plugins")


@pytest.fixture(scope="session", autouse=True)
def library_env():
    """Every Client finds the library through NEBULA_NODE_LIBRARY, as a deployment would."""
    os.environ["NEBULA_NODE_LIBRARY"] = _build_output("NEBULA_NODE_LIBRARY", REPO / "build/lib/libnebula_node.so")
    # The library reads these too; a developer's shell must not redirect the tests.
    os.environ.pop("NEBULA_POOL_ENDPOINT", None)
    os.environ.pop("NEBULA_PLUGIN_PATH", None)


@pytest.fixture
def make_pool(tmp_path, pool_bin, plugin_dir):
    """make_pool(http_port=0) -> a PoolProcess not yet started; all are stopped after the test."""
    pools = []

    def make(http_port=0):
        pool = PoolProcess(pool_bin, plugin_dir, tmp_path / f"pool{len(pools)}", http_port)
        pools.append(pool)
        return pool

    yield make
    for pool in pools:
        code = pool.stop()
        assert code in (0, None), f"nebula-pool exited with {code}:\n{pool.log()}"


@pytest.fixture
def pool(make_pool):
    return make_pool().start()


@pytest.fixture
def client_config(tmp_path, plugin_dir):
    """client_config(endpoint, **overrides): a library config with its spill dir in tmp_path."""
    def config(endpoint, **overrides):
        base = {"endpoints": [endpoint], "plugin_dir": plugin_dir, "spill_dir": str(tmp_path / "spill"),
                "backoff": {"initial_ms": 20, "max_ms": 200}, "shutdown_timeout_ms": 2000}
        base.update(overrides)
        return base
    return config


@pytest.fixture
def free_port():
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]
