"""Print the figures behind the face engine's thresholds, measured on the shipped photos:

* quality: each photo's face width, brightness and sharpness, as taken and after the changes a webcam makes,
  with the quality the engine gives;
* matching: the distance from each photo's encoding to itself after each change (the same person), to the other
  photo under every change (different people), and to its own synthetic head-turn frames; then
  MATCH_THRESHOLD with its margins on both sides;
* liveness: the yaw spread (liveness.yaw_range) of synthetic head turns, of held photos (still_frames over ten
  seeds) and of a photo swept, turned and tilted (moved_photo_frames), against MIN_YAW_RANGE.

    .venv/bin/python scripts/face_calibrate.py

The figures are written by the thresholds in raksa/integrations/face/ and in docs/face-verification.md; run this
after changing the engine and update both.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from raksa.integrations.face import liveness  # noqa: E402
from raksa.integrations.face.engine import get_engine  # noqa: E402
from raksa.integrations.face.matching import MATCH_THRESHOLD  # noqa: E402
from raksa.integrations.face.samples import SAMPLE_NAMES, sample_photo  # noqa: E402
from raksa.testing import faces  # noqa: E402


def main() -> None:
    engine = get_engine()
    photos = {name: sample_photo(name) for name in SAMPLE_NAMES}
    changes = {"as taken": lambda rgb: rgb, **faces.SAME_FACE_CHANGES,
               "brightness ×0.25": lambda rgb: faces.brightness(rgb, 0.25), "dark (×0.2)": faces.dark,
               "blur σ=1": lambda rgb: faces.blurred(rgb, 1), "blur σ=2": lambda rgb: faces.blurred(rgb, 2),
               "blurred (σ=3)": faces.blurred}
    reference = {name: engine.analyse(photo).encoding for name, photo in photos.items()}
    other = dict(zip(SAMPLE_NAMES, reversed(SAMPLE_NAMES), strict=True))

    print("quality and distance to the photo as taken (same) and to the other photo as taken (other)")
    print(f"{'photo':13} {'change':17} {'quality':14} {'width':>5} {'bright':>6} {'sharp':>6} {'same':>6} {'other':>6}")
    same_distances, other_distances = [], []
    encodings: dict[str, list] = {name: [] for name in photos}
    for name, photo in photos.items():
        for label, change in changes.items():
            result = engine.analyse(change(photo))
            same = other_d = None
            if result.encoding is not None:
                same = engine.distance(result.encoding, reference[name])
                other_d = engine.distance(result.encoding, reference[other[name]])
                encodings[name].append(result.encoding)
                if label in faces.SAME_FACE_CHANGES:
                    same_distances.append((same, f"{name} {label}"))
            width = result.box[1] - result.box[3] if result.box else 0
            print(f"{name:13} {label:17} {result.quality.value:14} {width:5} {result.brightness:6.1f} "
                  f"{result.sharpness:6.3f} {_f(same)} {_f(other_d)}")
    for a in encodings[SAMPLE_NAMES[0]]:
        for b in encodings[SAMPLE_NAMES[1]]:
            other_distances.append(engine.distance(a, b))

    print("\nsynthetic head turn (head_turn_frames, 8 frames): distance of each frame to the photo as taken")
    turn_distances = []
    for name, photo in photos.items():
        frames = [engine.analyse(frame) for frame in faces.head_turn_frames(photo, 8)]
        distances = [engine.distance(f.encoding, reference[name]) for f in frames if f.encoding is not None]
        turn_distances += distances
        print(f"{name:13} " + " ".join(f"{d:.3f}" for d in distances))

    worst_same, worst_label = max(same_distances)
    closest_other = min(other_distances)
    print(f"\nsame person, webcam changes: max {worst_same:.3f} ({worst_label}); head-turn frames: max "
          f"{max(turn_distances):.3f}")
    print(f"different people, every change of one against every change of the other ({len(other_distances)} "
          f"pairs): min {closest_other:.3f}, max {max(other_distances):.3f}")
    print(f"MATCH_THRESHOLD {MATCH_THRESHOLD}: {MATCH_THRESHOLD - max(worst_same, max(turn_distances)):.3f} above "
          f"the farthest same-person frame, {closest_other - MATCH_THRESHOLD:.3f} under the closest other person")

    print(f"\nliveness: yaw spread (MIN_YAW_RANGE {liveness.MIN_YAW_RANGE}, {liveness.MIN_FRAMES}+ frames); turns move "
          "the nose by a fraction of the distance between the eyes (head_turn_frames' default 0.2)")
    for name, photo in photos.items():
        rows = {f"turn: nose {amplitude:.2f} × eyes": faces.head_turn_frames(photo, 8, amplitude=amplitude)
                for amplitude in (0.1, 0.15, 0.2, 0.25, 0.3)}
        rows["photo swept, turned, ×0.85"] = faces.moved_photo_frames(photo, 8)
        rows["photo swept, turned, ×0.7"] = faces.moved_photo_frames(photo, 8, squeeze=0.7)
        for label, frames in rows.items():
            result = liveness.liveness_check([engine.analyse(frame) for frame in frames])
            print(f"{name:13} {label:28} {result.yaw_range:.3f} {result.code}")
        spreads = [liveness.liveness_check([engine.analyse(f) for f in faces.still_frames(photo, 8, seed=seed)])
                   .yaw_range for seed in range(10)]
        print(f"{name:13} {'held photo, 10 seeds':28} max {max(spreads):.3f}, mean {sum(spreads) / 10:.3f}")


def _f(value: float | None) -> str:
    return f"{value:6.3f}" if value is not None else "     -"


if __name__ == "__main__":
    main()
