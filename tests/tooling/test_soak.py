"""make soak, run tiny: every acknowledged city reaches every page once, across a Redis restart."""

import os
import subprocess
import sys

import pytest

from bench.servers import PROJECT_ROOT


@pytest.mark.parametrize(("textbook", "path"), [("", "on the tuned path"), ("1", "on the textbook path")])
def test_a_tiny_soak_loses_and_duplicates_nothing_across_a_redis_restart(textbook, path):
    """4 pages per app, 6 s of cities, Redis restarted at 3 s: exit 0, every app reported, no loss."""
    run = subprocess.run(
        [sys.executable, "-m", "bench.soak", "--pages", "4", "--seconds", "6", "--restart-at", "3"],
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        timeout=90,
        env={**os.environ, "TEXTBOOK": textbook},
    )
    assert run.returncode == 0, run.stdout + run.stderr
    lines = run.stdout.splitlines()
    assert "cities acknowledged" in lines[0] and path in lines[0]
    assert "memory keeps growing =" in lines[1]
    for technique in ("polling", "long_polling", "sse", "websockets"):
        (line,) = [line for line in lines if line.startswith(technique + " ")]
        assert "lost 0" in line and "duplicated 0" in line and "memory growing no" in line
    assert lines[-1] == "PASS"
