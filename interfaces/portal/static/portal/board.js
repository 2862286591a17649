/* Queue display board: poll the numbers every few seconds and show them; tick the clock.
   Only ticket numbers come from the server (no names), and they are set as text, never HTML. */
(function () {
  "use strict";
  var body = document.body;
  var url = body.getAttribute("data-live-url");
  var every = parseInt(body.getAttribute("data-refresh"), 10) || 3000;
  var $ = function (id) { return document.getElementById(id); };
  var lastNow = ($("board-now").textContent || "").trim();

  function fillList(list, labels) {
    while (list.firstChild) { list.removeChild(list.firstChild); }
    labels.forEach(function (label) {
      var item = document.createElement("li");
      item.textContent = label;
      list.appendChild(item);
    });
  }

  function show(data) {
    var now = data.calling.length ? data.calling[0] : "—";
    var nowEl = $("board-now");
    nowEl.textContent = now;
    nowEl.classList.toggle("board__now--none", !data.calling.length);
    if (now !== lastNow && data.calling.length) {
      nowEl.classList.remove("board__now--flash");
      void nowEl.offsetWidth;  // restart the animation
      nowEl.classList.add("board__now--flash");
    }
    lastNow = now;
    fillList($("board-also"), data.calling.slice(1));
    $("board-also-title").hidden = data.calling.length < 2;
    fillList($("board-waiting"), data.waiting);
    $("board-empty").hidden = data.waiting.length > 0;
    $("board-date").textContent = data.date;
    $("board-time").textContent = data.time;
  }

  function poll() {
    fetch(url, {cache: "no-store", headers: {"Accept": "application/json"}})
      .then(function (r) { if (!r.ok) { throw new Error("HTTP " + r.status); } return r.json(); })
      .then(function (data) { show(data); $("board-offline").hidden = true; })
      .catch(function () { $("board-offline").hidden = false; });
  }

  function tick() {
    try {
      $("board-time").textContent = new Intl.DateTimeFormat("en-GB", {
        timeZone: "Asia/Bangkok", hour: "2-digit", minute: "2-digit", hour12: false}).format(new Date());
    } catch (e) { /* keep the server's time */ }
  }

  if (window.fetch) { window.setInterval(poll, every); }
  window.setInterval(tick, 10000);
}());
