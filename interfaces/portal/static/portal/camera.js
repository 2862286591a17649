/* The counter's webcam, shared by the face scan and the rights-QR scan: open it (getUserMedia, 640 × 480),
   grab a JPEG frame of the preview (canvas.toBlob), post a FormData with fetch and read JSON. No libraries. */
(function () {
  "use strict";
  var WIDTH = 640;
  var HEIGHT = 480;

  function open(video) {
    if (!navigator.mediaDevices || !navigator.mediaDevices.getUserMedia) {
      return Promise.reject(new Error("no camera API"));
    }
    return navigator.mediaDevices.getUserMedia({
      video: {width: {ideal: WIDTH}, height: {ideal: HEIGHT}, facingMode: "user"}, audio: false
    }).then(function (stream) {
      video.srcObject = stream;
      return video.play().catch(function () { return null; }).then(function () { return stream; });
    });
  }

  function stop(video) {
    var stream = video && video.srcObject;
    if (stream) { stream.getTracks().forEach(function (track) { track.stop(); }); }
    if (video) { video.srcObject = null; }
  }

  function grab(video, quality) {
    // One 640 × 480 JPEG of what the preview shows now.
    var canvas = document.createElement("canvas");
    canvas.width = WIDTH;
    canvas.height = HEIGHT;
    canvas.getContext("2d").drawImage(video, 0, 0, WIDTH, HEIGHT);
    return new Promise(function (resolve, reject) {
      canvas.toBlob(function (blob) {
        if (blob) { resolve(blob); } else { reject(new Error("no frame")); }
      }, "image/jpeg", quality || 0.9);
    });
  }

  function post(url, data) {
    // The answer as {status, body}; body is null when the server did not answer JSON (e.g. a login page).
    return fetch(url, {method: "POST", body: data, credentials: "same-origin",
                       headers: {"Accept": "application/json"}})
      .then(function (response) {
        var type = response.headers.get("Content-Type") || "";
        if (type.indexOf("application/json") !== 0) { return {status: response.status, body: null}; }
        return response.json().then(function (body) { return {status: response.status, body: body}; });
      });
  }

  function text(body) {
    // A refusal's sentence in the page's language.
    if (!body) { return ""; }
    if (body.text) { return body.text; }
    var english = (document.documentElement.lang || "th").indexOf("en") === 0;
    return (english ? body.message_en : body.message) || body.message || "";
  }

  window.RaksaCamera = {open: open, stop: stop, grab: grab, post: post, text: text, WIDTH: WIDTH, HEIGHT: HEIGHT};
}());
