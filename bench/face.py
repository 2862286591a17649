"""``verify.face.p50_ms`` and ``verify.face.p99_ms``: the face engine's time for one counter webcam frame;
``verify.face.scan_p50_ms`` / ``verify.face.scan_p99_ms``: for one whole scan at the counter.

One run = what the server does with each frame the counter's page sends: analyse a 640 × 480 RGB frame (detect,
quality checks, landmarks and pose, encode the face) and compare the encoding with the citizen's reference
encoding. Timed in this process after the models are loaded (a worker loads them once); decoding the upload
(image.decode_image, about 5 ms for a JPEG of that size) and the network are not counted. The frame is
scikit-image's astronaut as a webcam would see her (raksa.testing.faces.sample_frame: face 160 px wide).

A scan is what one press of the counter's button costs the server: the portal sends five JPEG frames taken while
the person turns their head (raksa.testing.faces.head_turn_frames), and the server decodes each, analyses each,
compares each usable one with the reference and checks liveness over them (raksa.verification.face, without its
database rows). The frames are analysed one after another, as the request does.

    .venv/bin/python bench/face.py [--runs 50] [--scans 10]

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


def bench_scan(scans: int = 10) -> dict[str, float]:
    """p50 and p99 in ms of one five-frame scan (decode, analyse, compare, liveness), after one warm-up."""
    import io

    from PIL import Image

    from raksa.integrations.face.engine import get_engine
    from raksa.integrations.face.image import decode_image
    from raksa.integrations.face.liveness import liveness_check
    from raksa.integrations.face.samples import sample_photo
    from raksa.testing.faces import head_turn_frames

    engine = get_engine()
    photo = sample_photo("astronaut")
    reference = engine.analyse(photo).encoding
    jpegs = []
    for frame in head_turn_frames(photo, n=5, engine=engine):
        out = io.BytesIO()
        Image.fromarray(frame).save(out, format="JPEG", quality=85)
        jpegs.append(out.getvalue())
    timings = []
    for _ in range(scans + 1):
        started = time.perf_counter()
        results = [engine.analyse(decode_image(data, max_bytes=10**7, max_pixels=10**8)) for data in jpegs]
        distance = max(engine.distance(r.encoding, reference) for r in results if r.encoding is not None)
        live = liveness_check(results).passed
        timings.append((time.perf_counter() - started) * 1000)
        assert live and distance < 0.45, (live, distance)
    timings = timings[1:]
    return {"scan_p50_ms": round(percentile(timings, 50), 1), "scan_p99_ms": round(percentile(timings, 99), 1)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=50)
    parser.add_argument("--scans", type=int, default=10)
    args = parser.parse_args()
    figures = bench_face(args.runs) | bench_scan(args.scans)
    for key in ("p50_ms", "p99_ms", "scan_p50_ms", "scan_p99_ms"):
        print(json.dumps({"name": f"verify.face.{key}", "value": figures[key], "unit": "ms"}), flush=True)


if __name__ == "__main__":
    main()
