/* Today's queue: re-render the lists every few seconds without reloading the page.
   Only #queue-live is replaced, and only when the server's version changes, so anything typed
   elsewhere on the page stays; keyboard focus and an opened "finished" list are kept. No libraries. */
(function () {
  "use strict";
  var region = document.getElementById("queue-live");
  var status = document.getElementById("queue-live-status");
  if (!region || !window.fetch) { return; }
  var url = region.getAttribute("data-live-url");
  var interval = parseInt(region.getAttribute("data-interval"), 10) || 5000;
  var version = region.getAttribute("data-version");
  var busy = false;
  var stopped = false;

  function setStatus(text, lost) {
    if (!status) { return; }
    status.textContent = text;
    status.classList.toggle("live--lost", !!lost);
  }

  function replace(html) {
    var active = document.activeElement;
    var focusKey = active && region.contains(active) ? active.getAttribute("data-focus-key") : null;
    var finished = region.querySelector("details.finished");
    var finishedOpen = finished ? finished.open : false;
    region.innerHTML = html;
    if (focusKey) {
      var again = region.querySelector('[data-focus-key="' + focusKey + '"]');
      if (again) { again.focus(); }
    }
    var details = region.querySelector("details.finished");
    if (details) { details.open = finishedOpen; }
  }

  function refresh() {
    if (busy || stopped || document.hidden) { return; }
    busy = true;
    fetch(url, {credentials: "same-origin", cache: "no-store", headers: {"Accept": "application/json"}})
      .then(function (response) {
        var type = response.headers.get("Content-Type") || "";
        if (response.status === 409) {
          // The unit was switched in another tab: stop, say so, and grey the lists out (their buttons
          // would be refused by the server anyway).
          stopped = true;
          return response.json().then(function (data) {
            setStatus(data.message, true);
            region.classList.add("queue--stale");
            region.setAttribute("aria-disabled", "true");
            return null;
          });
        }
        if (!response.ok || type.indexOf("application/json") !== 0) { throw new Error("HTTP " + response.status); }
        return response.json();
      })
      .then(function (data) {
        if (data === null) { return; }
        if (data.version !== version) {
          replace(data.html);
          version = data.version;
          region.setAttribute("data-version", version);
        }
        setStatus((status && status.getAttribute("data-prefix") || "") + " " + data.updated, false);
      })
      .catch(function () {
        setStatus(status ? status.getAttribute("data-lost") : "", true);
      })
      .then(function () { busy = false; });
  }

  window.setInterval(refresh, interval);
  document.addEventListener("visibilitychange", function () { if (!document.hidden) { refresh(); } });
}());
