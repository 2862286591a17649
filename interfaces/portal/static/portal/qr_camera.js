/* "สแกน QR ด้วยกล้อง": the webcam sends a JPEG frame every ~500 ms to the server, which looks for a rights QR
   (zxing-cpp) and, when it finds one, opens the visit: the page then goes to the authen code. A refusal (used,
   expired, another unit's…) stops the scanning and shows the reason until "Scan again". The frames go with the
   rights-QR form's fields (CSRF, unit, the walk-in's service). No libraries. */
(function () {
  "use strict";
  var section = document.getElementById("qr-camera");
  var form = document.getElementById("rights-qr-form");
  if (!section || !form || !window.fetch || !window.RaksaCamera) { return; }
  var camera = window.RaksaCamera;
  var video = document.getElementById("qr-video");
  var box = document.getElementById("qr-camera-box");
  var status = document.getElementById("qr-status");
  var start = document.getElementById("qr-camera-start");
  var again = document.getElementById("qr-camera-again");
  var stopButton = document.getElementById("qr-camera-stop");
  var url = section.getAttribute("data-frame-url");
  var interval = parseInt(section.getAttribute("data-interval"), 10) || 500;
  var timer = null;
  var busy = false;
  var done = false;

  function say(message, kind) {
    status.textContent = message || "";
    status.className = "face-status" + (kind ? " face-status--" + kind : "");
  }

  function pause() {
    window.clearInterval(timer);
    timer = null;
  }

  function stop() {
    pause();
    camera.stop(video);
    box.hidden = true;
    stopButton.hidden = true;
    again.hidden = true;
    start.hidden = false;
    say("");
  }

  function send() {
    if (busy || done) { return; }
    busy = true;
    camera.grab(video, 0.85).then(function (blob) {
      var data = new FormData(form);
      data.delete("token");
      data.append("frame", blob, "frame.jpg");
      return camera.post(url, data);
    }).then(function (answer) {
      var body = answer.body;
      if (!body) { say(section.getAttribute("data-failed"), "error"); return; }
      if (body.found && body.visit_url) {
        done = true;
        pause();
        say(section.getAttribute("data-opening"), "ok");
        camera.stop(video);
        window.location.assign(body.visit_url);
      } else if (answer.status >= 400) {
        pause();
        say(camera.text(body), "error");
        section.setAttribute("data-refused", body.code || "");
        again.hidden = false;
        if (body.field === "service") {
          var select = form.querySelector("select[name=service]");
          if (select) { select.focus(); }
        }
      } else {
        say(body.text || section.getAttribute("data-looking"), body.text ? "error" : "");
      }
    }).catch(function () {
      say(section.getAttribute("data-failed"), "error");
    }).then(function () { busy = false; });
  }

  function scan() {
    again.hidden = true;
    section.removeAttribute("data-refused");
    say(section.getAttribute("data-looking"));
    pause();
    timer = window.setInterval(send, interval);
  }

  start.hidden = false;
  start.addEventListener("click", function () {
    start.hidden = true;
    camera.open(video).then(function () {
      box.hidden = false;
      stopButton.hidden = false;
      section.setAttribute("data-camera", "on");
      scan();
    }).catch(function () {
      section.setAttribute("data-camera", "none");
      start.hidden = false;
      say(section.getAttribute("data-no-camera"), "error");
    });
  });
  again.addEventListener("click", scan);
  stopButton.addEventListener("click", stop);
  window.addEventListener("pagehide", function () { camera.stop(video); });
}());
