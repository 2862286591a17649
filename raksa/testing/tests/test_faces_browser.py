"""Chromium plays write_y4m's files as its camera (the switches of faces.fake_webcam_args): the page sees the
frames we wrote, so the face in them matches, a head turn passes liveness and a held photo does not. This is the
path the counter's page takes in the browser tests."""

from __future__ import annotations

import base64

import numpy as np

from raksa.integrations.face.engine import FaceQuality, get_engine
from raksa.integrations.face.image import decode_image
from raksa.integrations.face.liveness import liveness_check
from raksa.integrations.face.matching import MATCH_THRESHOLD
from raksa.integrations.face.samples import sample_photo
from raksa.testing import faces
from raksa.testing.browser import BROWSER_MARKS, CHROMIUM, CHROMIUM_ARGS

pytestmark = BROWSER_MARKS

PAGE = """<!doctype html><video id="v" autoplay playsinline muted></video><canvas id="c" width="640" height="480">
</canvas><script>
const v = document.getElementById("v"), c = document.getElementById("c");
window.start = async () => {
  v.srcObject = await navigator.mediaDevices.getUserMedia({video: {width: 640, height: 480}});
  await v.play();
  return [v.videoWidth, v.videoHeight];
};
window.grab = () => { c.getContext("2d").drawImage(v, 0, 0, 640, 480); return c.toDataURL("image/png"); };
</script>"""


def camera_frames(y4m, count: int, interval_ms: int) -> list[bytes]:
    """PNG frames the page's camera (Chromium playing ``y4m``) shows, ``interval_ms`` apart."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True,
                                             args=CHROMIUM_ARGS + faces.fake_webcam_args(y4m))
        page = browser.new_page()
        # http://localhost is a secure context (getUserMedia needs one); the page never touches the network
        page.route("http://localhost/camera", lambda route: route.fulfill(body=PAGE, content_type="text/html"))
        page.goto("http://localhost/camera")
        assert page.evaluate("start()") == [640, 480]
        shots = []
        for _ in range(count):
            page.wait_for_timeout(interval_ms)
            shots.append(base64.b64decode(page.evaluate("grab()").split(",", 1)[1]))
        browser.close()
    return shots


def test_chromium_plays_the_y4m_as_a_camera_and_the_face_in_it_matches(tmp_path):
    engine = get_engine()
    reference = engine.analyse(sample_photo("astronaut")).encoding
    frame = faces.sample_frame("astronaut")
    (png,) = camera_frames(faces.y4m_from_image(frame, tmp_path / "astronaut.y4m"), 1, 300)
    seen = decode_image(png, max_bytes=5_000_000, max_pixels=2_000_000)
    # the page sees what was written, colours and contrast included (the file is in video range, as Chromium reads)
    assert seen.shape == frame.shape and np.abs(seen.astype(int) - frame).mean() < 4
    result = engine.analyse(seen)
    distance = engine.distance(result.encoding, reference)
    print(f"astronaut through Chromium's fake camera: {result.quality} distance {distance:.3f}")
    assert result.quality is FaceQuality.OK and distance < MATCH_THRESHOLD


def test_a_head_turn_played_by_chromium_passes_liveness_and_a_held_photo_does_not(tmp_path):
    engine = get_engine()
    photo = sample_photo("grace_hopper")
    # 16 frames at 8 fps: a 2 s turn; 12 grabs 170 ms apart cover more than one loop of it
    turn = faces.write_y4m(faces.head_turn_frames(photo, 16), tmp_path / "turn.y4m", fps=8)
    held = faces.write_y4m(faces.still_frames(photo, 16), tmp_path / "held.y4m", fps=8)
    results = {}
    for label, y4m in (("turn", turn), ("held", held)):
        frames = [engine.analyse(decode_image(png, max_bytes=5_000_000, max_pixels=2_000_000))
                  for png in camera_frames(y4m, 12, 170)]
        results[label] = liveness_check(frames)
        print(f"{label} through Chromium: {results[label]}")
    assert results["turn"].passed
    assert not results["held"].passed and results["held"].code == "LIVENESS_STILL"
