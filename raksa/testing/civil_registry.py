"""The civil registry stand-in (civil_registry_standin/, a separate program) as a subprocess for the tests.

Fixtures (registered in the root conftest.py):

- ``civil_registry``: a stand-in on a free port with the demo records and Django's token; Django's
  RAKSA_CIVIL_REGISTRY_URL points at it for the test.
- ``civil_registry_factory``: ``start(args=(…), token=…)`` for a stand-in with other options (``--photo
  PID=FILE``, ``--delay``, ``--broken``); all are stopped when the test ends. It does not change the settings.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from raksa.testing.line_standin import free_port, stop_process

REPO = Path(__file__).resolve().parents[2]
START_TIMEOUT_SECONDS = 15


@dataclass
class CivilRegistryStandin:
    token: str
    log_path: Path
    args: tuple[str, ...] = ()
    port: int = field(default_factory=free_port)
    process: subprocess.Popen | None = None

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> None:
        env = {**os.environ, "RAKSA_CIVIL_REGISTRY_TOKEN": self.token}
        with open(self.log_path, "ab") as log:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "civil_registry_standin", "--host", "127.0.0.1", "--port", str(self.port),
                 *self.args], cwd=REPO, env=env, stdout=log, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + START_TIMEOUT_SECONDS
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"the civil registry stand-in exited ({self.process.returncode}):\n{self.log()}")
            try:
                with urllib.request.urlopen(f"{self.base_url}/health", timeout=1) as answer:
                    if answer.status == 200:
                        return
            except (OSError, urllib.error.URLError):
                time.sleep(0.05)
        self.stop()
        raise RuntimeError(f"the civil registry stand-in did not answer within {START_TIMEOUT_SECONDS} s:\n"
                           f"{self.log()}")

    def stop(self) -> None:
        stop_process(self.process)

    def log(self) -> str:
        return self.log_path.read_text(errors="replace") if self.log_path.exists() else ""


@pytest.fixture
def civil_registry_factory(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Callable[..., CivilRegistryStandin]]:
    from django.conf import settings

    started: list[CivilRegistryStandin] = []

    def start(*, args: tuple[str, ...] = (), token: str | None = None) -> CivilRegistryStandin:
        standin = CivilRegistryStandin(token=token or settings.RAKSA_CIVIL_REGISTRY_TOKEN, args=tuple(args),
                                       log_path=tmp_path_factory.mktemp("civil-registry") / "standin.log")
        started.append(standin)
        standin.start()
        return standin

    yield start
    for standin in started:
        standin.stop()


@pytest.fixture
def civil_registry(civil_registry_factory: Callable[..., CivilRegistryStandin],
                   settings: Any) -> CivilRegistryStandin:  # settings: pytest-django's fixture
    standin = civil_registry_factory()
    settings.RAKSA_CIVIL_REGISTRY_URL = standin.base_url
    return standin
