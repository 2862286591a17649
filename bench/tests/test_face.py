"""make bench's face figures: bench/face.py times real analyses and prints one JSON line per figure."""

import importlib.util
import json
import sys
from pathlib import Path

_spec = importlib.util.spec_from_file_location("bench_face", Path(__file__).resolve().parents[1] / "face.py")
face = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(face)


def test_bench_face_times_a_frame_and_a_scan_and_prints_the_four_figures(monkeypatch, capsys):
    figures = face.bench_face(3)
    assert 0 < figures["p50_ms"] <= figures["p99_ms"] < 10_000
    scan = face.bench_scan(1)
    assert figures["p50_ms"] < scan["scan_p50_ms"] <= scan["scan_p99_ms"] < 30_000  # five frames and more
    monkeypatch.setattr(sys, "argv", ["face.py", "--runs", "2", "--scans", "1"])
    face.main()
    lines = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [line["name"] for line in lines] == ["verify.face.p50_ms", "verify.face.p99_ms",
                                                "verify.face.scan_p50_ms", "verify.face.scan_p99_ms"]
    assert all(line["unit"] == "ms" and line["value"] > 0 for line in lines)
