"""The two portrait photos that ship inside installed packages: the demo enrols its citizens' faces from them and
the tests verify against them. Nothing is downloaded: both are files inside the wheels (scikit-image's
``skimage/data/astronaut.png``, matplotlib's ``mpl-data/sample_data/grace_hopper.jpg``), read here straight from
the package directory rather than through ``skimage.data``, whose fetcher may want a cache directory.

* ``astronaut``: Eileen Collins, NASA portrait (public domain), 512 × 512, face about 88 px wide;
* ``grace_hopper``: Grace Hopper, US Navy portrait (public domain), 512 × 600, face about 216 px wide.
"""

from __future__ import annotations

import functools
import importlib.resources
from pathlib import Path
from typing import Literal

import numpy as np

SampleName = Literal["astronaut", "grace_hopper"]
SAMPLE_NAMES: tuple[SampleName, ...] = ("astronaut", "grace_hopper")


def sample_path(name: SampleName) -> Path:
    if name == "astronaut":
        return Path(str(importlib.resources.files("skimage.data") / "astronaut.png"))
    if name == "grace_hopper":
        import matplotlib

        return Path(matplotlib.get_data_path()) / "sample_data" / "grace_hopper.jpg"
    raise ValueError(f"no sample photo {name!r}; there are {', '.join(SAMPLE_NAMES)}")


@functools.cache
def _read(name: SampleName) -> np.ndarray:
    from PIL import Image

    with Image.open(sample_path(name)) as image:
        array = np.asarray(image.convert("RGB"), dtype=np.uint8)
    array.setflags(write=False)
    return array


def sample_photo(name: SampleName) -> np.ndarray:
    """The photo as an H×W×3 uint8 RGB array (a fresh copy: change it freely)."""
    return _read(name).copy()
