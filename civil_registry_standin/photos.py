"""The stand-in's records: national ID -> a JPEG portrait, the way a registry keeps an ID-card photo.

The demo citizens' photos are the portraits shipped inside installed packages (found by path, without importing
the packages): the same files raksa.integrations.face.samples reads for the demo and the tests.
"""

from __future__ import annotations

import importlib.util
import io
from pathlib import Path

# Raksa's demo citizens (raksa/demo/accounts.py) whose reference photo the registry holds.
DEMO_PHOTOS = {
    "3109900000335": "grace_hopper",  # นางสมศรี ใจดี
    "1109900000665": "astronaut",  # นางสาวอรุณี ฟ้าใส
}


def _package_dir(name: str) -> Path:
    spec = importlib.util.find_spec(name)
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError(f"the package {name} is not installed: its sample photo is needed")
    return Path(next(iter(spec.submodule_search_locations)))


def sample_path(name: str) -> Path:
    if name == "astronaut":
        return _package_dir("skimage") / "data" / "astronaut.png"
    if name == "grace_hopper":
        return _package_dir("matplotlib") / "mpl-data" / "sample_data" / "grace_hopper.jpg"
    raise ValueError(f"no sample photo {name!r}")


def as_jpeg(path: Path) -> bytes:
    """The file's bytes when it is a JPEG already, else the picture re-encoded as JPEG (quality 92)."""
    data = path.read_bytes()
    if data[:3] == b"\xff\xd8\xff":
        return data
    from PIL import Image

    with Image.open(io.BytesIO(data)) as image:
        out = io.BytesIO()
        image.convert("RGB").save(out, format="JPEG", quality=92)
    return out.getvalue()


def load_records(extra: dict[str, Path]) -> dict[str, bytes]:
    """The demo records plus ``extra`` (national ID -> image file; tests add faces the demo has not)."""
    records = {pid: as_jpeg(sample_path(name)) for pid, name in DEMO_PHOTOS.items()}
    records.update({pid: as_jpeg(path) for pid, path in extra.items()})
    return records
