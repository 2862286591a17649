/* Raksa LIFF pages: sign in through LINE's SDK, "nearest to me", the rights QR's renewal, and scanning a unit's
 * confirmation QR (liff.scanCodeV2). */
(function () {
  "use strict";

  function signIn(form) {
    var failed = function () {
      document.getElementById("signin-status").hidden = true;
      document.getElementById("signin-failed").hidden = false;
    };
    if (!window.liff) { failed(); return; }
    window.liff.init({ liffId: form.dataset.liffId }).then(function () {
      var state = new URLSearchParams(window.location.search).get("liff.state");
      if (state !== null) {  // LINE's SDK goes on to the page asked; if it does not, go there ourselves
        window.setTimeout(function () {
          var path = state.replace(/^\/+/, "");
          window.location.replace(/^[\w\/.-]*(\?[\w=&%.-]*)?$/.test(path) ? "/liff/" + path : "/liff/");
        }, 3000);
        return;
      }
      if (!window.liff.isLoggedIn()) { window.liff.login({ redirectUri: window.location.href }); return; }
      var token = window.liff.getIDToken();
      if (!token) { failed(); return; }
      form.elements.id_token.value = token;
      form.submit();
    }).catch(failed);
  }

  function nearMe(form) {
    var button = document.getElementById("near-me");
    if (!navigator.geolocation) { return; }
    button.hidden = false;
    button.addEventListener("click", function () {
      var status = document.getElementById("near-status");
      status.textContent = button.dataset.wait || "…";
      navigator.geolocation.getCurrentPosition(function (position) {
        form.elements.lat.value = position.coords.latitude.toFixed(5);
        form.elements.lon.value = position.coords.longitude.toFixed(5);
        form.elements.province.value = "";
        if (form.elements.district) { form.elements.district.value = ""; }
        form.submit();
      }, function () {
        status.textContent = button.dataset.refused || "";
      }, { timeout: 10000, maximumAge: 300000 });
    });
    form.elements.province.addEventListener("change", function () {
      form.elements.lat.value = form.elements.lon.value = "";
      if (form.elements.district) { form.elements.district.value = ""; }
      form.submit();
    });
  }

  function rightsQr(box) {
    var left = Number(box.dataset.seconds);
    var early = Math.max(3, Math.min(10, Math.floor(left / 4)));
    var shown = document.getElementById("qr-left");
    var error = document.getElementById("qr-error");
    var renew = document.getElementById("qr-renew");
    var csrf = document.querySelector("input[name=csrfmiddlewaretoken]").value;
    var busy = false;
    function refresh() {
      if (busy) { return; }
      busy = true;
      fetch(window.location.pathname, { method: "POST", credentials: "same-origin",
        headers: { "X-CSRFToken": csrf, "Accept": "application/json" } })
        .then(function (r) {
          if ((r.headers.get("Content-Type") || "").indexOf("json") === -1) {  // signed out: sign in again
            window.location.reload();
          }
          if (!r.ok) { throw new Error(r.status); }
          return r.json();
        })
        .then(function (data) {
          box.innerHTML = data.svg;
          left = data.seconds;
          shown.textContent = left;
          error.hidden = renew.hidden = true;
        })
        .catch(function () { error.hidden = renew.hidden = false; })
        .then(function () { busy = false; });
    }
    renew.addEventListener("click", refresh);
    window.setInterval(function () {
      left = Math.max(0, left - 1);
      shown.textContent = left;
      if (left <= early) { refresh(); }  // a new code before this one expires
    }, 1000);
  }

  function scanner(box) {
    // LINE's QR reader: liff.scanCodeV2() resolves {value: text}, or {value: null} when the person closes it.
    // The text goes to /liff/scan?code=…, which takes the confirmation token out of it (server side) and goes
    // on to the confirm page; what is not ours is refused there.
    var button = document.getElementById("scan-start");
    var status = document.getElementById("scan-status");
    var cancelled = document.getElementById("scan-cancelled");
    var unavailable = function () {
      status.hidden = cancelled.hidden = true;
      button.disabled = true;
      document.getElementById("scan-unavailable").hidden = false;
      box.parentNode.querySelector("details.fallback").open = true;
    };
    if (!window.liff) { unavailable(); return; }
    window.liff.init({ liffId: box.dataset.liffId }).then(function () {
      if (!window.liff.isApiAvailable("scanCodeV2")) { unavailable(); return; }
      status.hidden = true;
      button.disabled = false;
    }).catch(unavailable);
    button.addEventListener("click", function () {
      cancelled.hidden = true;
      window.liff.scanCodeV2().then(function (result) {
        if (!result || result.value === null || result.value === undefined || result.value === "") {
          cancelled.hidden = false;
          return;
        }
        window.location.href = box.dataset.action + "?code=" + encodeURIComponent(result.value);
      }).catch(unavailable);
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    var form = document.getElementById("signin");
    if (form) { signIn(form); }
    var find = document.getElementById("find");
    if (find) { nearMe(find); }
    var box = document.getElementById("qr");
    if (box) { rightsQr(box); }
    var scan = document.getElementById("scanner");
    if (scan) { scanner(scan); }
  });
}());
