"""``verify.face.p50_ms`` and ``verify.face.p99_ms``: the face engine's time for one counter webcam frame.

One run = what the server does with each frame the counter's page sends: analyse a 640 × 480 RGB frame (detect,
quality checks, landmarks and pose, encode the face) and compare the encoding with the citizen's reference
encoding. Timed in this process after the models are loaded (a worker loads them once); decoding the upload
(image.decode_image, about 5 ms for a JPEG of that size) and the network are not counted. The frame is
scikit-image's astronaut as a webcam would see her (raksa.testing.faces.sample_frame: face 160 px wide).

    .venv/bin/python bench/face.py [--runs 50]

One JSON line per figure, as the other benchmarks print them.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q / 100 * (len(ordered) - 1))))]


def bench_face(runs: int = 50) -> dict[str, float]:
    """p50 and p99 in ms of analyse + distance on one 640 × 480 frame, over ``runs`` runs after one warm-up."""
    from raksa.integrations.face.engine import FaceQuality, get_engine
    from raksa.integrations.face.samples import sample_photo
    from raksa.testing.faces import sample_frame

    engine = get_engine()
    reference = engine.analyse(sample_photo("astronaut")).encoding
    frame = sample_frame("astronaut")
    timings = []
    for _ in range(runs + 1):
        started = time.perf_counter()
        result = engine.analyse(frame)
        engine.distance(result.encoding, reference)
        timings.append((time.perf_counter() - started) * 1000)
        assert result.quality is FaceQuality.OK
    timings = timings[1:]  # the first run warms caches
    return {"p50_ms": round(percentile(timings, 50), 1), "p99_ms": round(percentile(timings, 99), 1)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=50)
    args = parser.parse_args()
    figures = bench_face(args.runs)
    for key in ("p50_ms", "p99_ms"):
        print(json.dumps({"name": f"verify.face.{key}", "value": figures[key], "unit": "ms"}), flush=True)


if __name__ == "__main__":
    main()
