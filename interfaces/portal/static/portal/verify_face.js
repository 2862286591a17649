/* The face scan on the verify page: the webcam preview opens with the page; "สแกนใบหน้า" shows the challenge
   (turn the head slightly and back), takes 5 JPEG frames over ~2 s and posts them with the page's form (CSRF,
   unit, person reference, service). Verified: go to the authen code. Not verified: the Thai hint and the tries
   so far; when the server says so (or the camera cannot open, or the engine is down), the LINE confirmation
   becomes the prominent choice. No libraries. */
(function () {
  "use strict";
  var FRAMES = 5;
  var GAP_MS = 450; // 5 frames over ~2 s
  var section = document.getElementById("face");
  var form = document.getElementById("face-form");
  var video = document.getElementById("face-video");
  var box = document.getElementById("face-camera");
  var challenge = document.getElementById("face-challenge");
  var status = document.getElementById("face-status");
  var tries = document.getElementById("face-tries-count");
  var button = document.getElementById("face-scan");
  var line = document.getElementById("line-fallback");
  if (!section || !form || !window.fetch || !window.RaksaCamera) { return; }
  var camera = window.RaksaCamera;
  var busy = false;

  function say(message, kind) {
    status.textContent = message || "";
    status.className = "face-status" + (kind ? " face-status--" + kind : "");
  }

  function offerLine() {
    if (!line) { return; }
    line.classList.add("card--primary", "verify-line--first");
    var lineButton = document.getElementById("line-button");
    if (lineButton) {
      lineButton.classList.add("button--primary", "button--big");
      button.classList.remove("button--primary");
    }
    section.classList.remove("card--primary");
    line.scrollIntoView({block: "nearest"});
  }

  function noCamera() {
    box.hidden = true;
    form.hidden = true;
    say(section.getAttribute("data-no-camera"), "error");
    section.setAttribute("data-camera", "none");
    offerLine();
  }

  function wait(ms) { return new Promise(function (resolve) { window.setTimeout(resolve, ms); }); }

  function takeFrames() {
    var frames = [];
    function next(i) {
      if (i >= FRAMES) { return Promise.resolve(frames); }
      return camera.grab(video, 0.9).then(function (blob) {
        frames.push(blob);
        return i + 1 < FRAMES ? wait(GAP_MS).then(function () { return next(i + 1); }) : frames;
      });
    }
    return next(0);
  }

  function scan(event) {
    event.preventDefault();
    if (busy) { return; }
    busy = true;
    button.disabled = true;
    challenge.hidden = false;
    say("");
    takeFrames().then(function (frames) {
      challenge.hidden = true;
      say(section.getAttribute("data-working"));
      var data = new FormData(form);
      frames.forEach(function (blob, i) { data.append("frames", blob, "frame" + i + ".jpg"); });
      return camera.post(form.action, data);
    }).then(function (answer) {
      var body = answer.body;
      if (!body) { say(section.getAttribute("data-failed"), "error"); return; }
      if (body.verified && body.visit_url) {
        say(body.text, "ok");
        camera.stop(video);
        window.location.assign(body.visit_url);
        return;
      }
      say(camera.text(body), "error");
      if (typeof body.failed_tries === "number") { tries.textContent = body.failed_tries; }
      if (body.line_fallback || body.code === "FACE_ENGINE_UNAVAILABLE") { offerLine(); }
    }).catch(function () {
      challenge.hidden = true;
      say(section.getAttribute("data-failed"), "error");
    }).then(function () {
      busy = false;
      button.disabled = false;
    });
  }

  form.hidden = false;
  box.hidden = false;
  form.addEventListener("submit", scan);
  camera.open(video).then(function () {
    section.setAttribute("data-camera", "on");
  }).catch(noCamera);
  window.addEventListener("pagehide", function () { camera.stop(video); });
}());
