/* The LINE confirmation QR page: count down to the QR's expiry and ask the server every second what the
   citizen did (waiting, scanned, confirmed, declined, expired). Confirmed: go to the visit's authen code, by
   itself. Declined or expired: say what to do next and offer a new QR. No libraries. */
(function () {
  "use strict";
  var region = document.getElementById("line-wait");
  if (!region || !window.fetch) { return; }
  var stateUrl = region.getAttribute("data-state-url");
  var poll = parseInt(region.getAttribute("data-poll"), 10) || 1000;
  var left = parseInt(region.getAttribute("data-seconds"), 10) || 0;
  var countdown = document.getElementById("line-countdown");
  var line = document.getElementById("line-state");
  var again = document.getElementById("line-again");
  var code = document.getElementById("line-qr-code");
  var deadline = Date.now() + left * 1000;
  var finished = false;
  var busy = false;
  var timer = null;

  function show(state) {
    line.setAttribute("data-state", state);
    line.textContent = line.getAttribute("data-" + state) || "";
  }

  function end(state) {
    finished = true;
    window.clearInterval(timer);
    show(state);
    countdown.parentNode.hidden = true;  // the QR is over: no more countdown
    code.classList.add("line-qr__code--over");
    again.hidden = false;
  }

  function showCode(value) {
    // The code at once in place of the QR (the visit's page, with its actions, loads next).
    if (!value) { return; }
    var big = document.createElement("p");
    big.className = "authen__code mono";
    big.setAttribute("data-code", value);
    big.textContent = value;
    code.replaceWith(big);
    countdown.parentNode.hidden = true;
  }

  function tick() {
    var seconds = Math.max(0, Math.ceil((deadline - Date.now()) / 1000));
    countdown.textContent = seconds;
  }

  function check() {
    if (finished || busy) { return; }
    busy = true;
    fetch(stateUrl, {credentials: "same-origin", cache: "no-store", headers: {"Accept": "application/json"}})
      .then(function (response) {
        if (!response.ok) { throw new Error("HTTP " + response.status); }
        return response.json();
      })
      .then(function (data) {
        if (data.state === "confirmed") {
          finished = true;
          window.clearInterval(timer);
          show("confirmed");
          showCode(data.authen_code);
          if (data.visit_url) { window.location.assign(data.visit_url); }
        } else if (data.state === "declined" || data.state === "expired") {
          end(data.state);
        } else {
          show(data.state);
        }
      })
      .catch(function () { line.textContent = line.getAttribute("data-lost"); })
      .then(function () { busy = false; });
  }

  timer = window.setInterval(function () { tick(); check(); }, poll);
  tick();
  check();
}());
