/*
 * LIFF stand-in: window.liff with the calls Raksa's LIFF pages use, backed by the LINE stand-in.
 *
 * Loaded instead of LINE's SDK (settings.LINE_LIFF_SDK_URL) in the demo and the tests. The LINE user is the
 * `standin_user` query parameter (kept in sessionStorage for the next pages); the ID token comes from the
 * stand-in's POST /_standin/id-token (ES256, signed with the key its JWKS publishes), so Raksa verifies it
 * exactly as it verifies LINE's. Inside the viewer's phone frame, scanCodeV2 and closeWindow ask the viewer;
 * elsewhere scanCodeV2 asks with a prompt.
 *
 * scanCodeV2 and isApiAvailable behave as LINE's SDK (@liff/scan-code-v2, @liff/is-api-available 2.x):
 * isApiAvailable throws INVALID_ARGUMENT for a name LIFF does not know; "scanCodeV2" is true only once logged in
 * and when the LIFF app allows "Scan QR" (the stand-in's --liff-scan-qr, on by default); scanCodeV2() then
 * resolves {value: text}, or {value: null} when the reader is closed, and otherwise rejects with a LiffError
 * (UNAUTHORIZED before login, FORBIDDEN without the permission).
 */
(function () {
  "use strict";

  var script = document.currentScript;
  var STANDIN = script && script.src ? new URL(script.src).origin : window.location.origin;
  var USER_KEY = "raksa-standin-user";
  var USER_ID = /^U[0-9a-f]{32}$/;
  var inFrame = window.parent !== window;

  var fromUrl = new URLSearchParams(window.location.search).get("standin_user");
  if (fromUrl && USER_ID.test(fromUrl)) {
    try { window.sessionStorage.setItem(USER_KEY, fromUrl); } catch (e) { /* storage refused: URL only */ }
  }

  function storedUser() {
    if (fromUrl && USER_ID.test(fromUrl)) return fromUrl;
    try { return window.sessionStorage.getItem(USER_KEY); } catch (e) { return null; }
  }

  var state = { userId: storedUser(), idToken: null, decoded: null, profile: null, liffId: null, availability: {} };
  // The API names LINE's isApiAvailable knows; any other name is an error there too.
  var KNOWN_APIS = ["subwindowOpen", "shareTargetPicker", "multipleLiffTransition", "scanCode", "scanCodeV2",
    "getAdvertisingId", "addToHomeScreen", "bluetoothLeFunction", "skipChannelVerificationScreen",
    "createShortcutOnHomeScreen", "internalCreateShortcutOnHomeScreen", "iap", "requestFriendship",
    "activityGetCallState", "activityGetRecordingState", "calendar.getEvents", "calendar.showEventCreationModal"];

  function liffError(code, message) {
    var error = new Error(message);
    error.name = "LiffError";
    error.code = code;
    return error;
  }

  function scanRefusal() {
    // Why scanCodeV2 may not run, as LINE's validator says it; null when it may.
    if (!state.idToken) return liffError("UNAUTHORIZED", "Need access_token for api call, Please login first");
    var scan = state.availability.scanCodeV2;
    if (!scan || !scan.permission) return liffError("FORBIDDEN", "scanCodeV2 is not allowed in this LIFF app");
    return null;
  }
  var resolveReady;
  var ready = new Promise(function (resolve) { resolveReady = resolve; });

  function decodePayload(token) {
    var part = token.split(".")[1].replace(/-/g, "+").replace(/_/g, "/");
    while (part.length % 4) part += "=";
    var bytes = Uint8Array.from(atob(part), function (c) { return c.charCodeAt(0); });
    return JSON.parse(new TextDecoder("utf-8").decode(bytes));
  }

  function withUser(url) {
    var target = new URL(url, window.location.href);
    if (state.userId && /^https?:$/.test(target.protocol)) target.searchParams.set("standin_user", state.userId);
    return target.toString();
  }

  function askViewer(type, payload) {
    var id = Math.random().toString(36).slice(2);
    return new Promise(function (resolve, reject) {
      function listen(event) {
        if (event.source !== window.parent || !event.data || event.data.id !== id) return;
        window.removeEventListener("message", listen);
        if (event.data.error) reject(new Error(event.data.error)); else resolve(event.data.value);
      }
      window.addEventListener("message", listen);
      // Any origin: the viewer may be on localhost while this script came from 127.0.0.1 (or the reverse);
      // the request carries nothing private, and only the parent's answer is taken.
      window.parent.postMessage(Object.assign({ type: type, id: id }, payload || {}), "*");
    });
  }

  var liff = {
    id: null,
    ready: ready,

    init: function (config) {
      state.liffId = (config && config.liffId) || null;
      liff.id = state.liffId;
      if (!state.userId) {
        resolveReady();
        if (config && config.withLoginOnExternalBrowser) liff.login();
        return Promise.resolve();
      }
      return fetch(STANDIN + "/_standin/id-token", {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify({ user_id: state.userId })
      }).then(function (answer) {
        if (!answer.ok) throw new Error("LIFF stand-in: no ID token (HTTP " + answer.status + ")");
        return answer.json();
      }).then(function (data) {
        state.idToken = data.id_token;
        state.decoded = decodePayload(data.id_token);
        state.profile = data.profile;
        state.availability = data.availability || {};
        resolveReady();
      });
    },

    isLoggedIn: function () { return Boolean(state.idToken); },

    login: function (options) {
      var back = (options && options.redirectUri) || window.location.href;
      window.location.href = STANDIN + "/liff-login?redirect_uri=" + encodeURIComponent(back);
    },

    logout: function () {
      try { window.sessionStorage.removeItem(USER_KEY); } catch (e) { /* nothing kept */ }
      state.userId = state.idToken = state.decoded = state.profile = null;
      state.availability = {};
      fromUrl = null;
    },

    getIDToken: function () { return state.idToken; },
    getDecodedIDToken: function () { return state.decoded; },
    getAccessToken: function () { return null; },

    getProfile: function () {
      if (!state.profile) return Promise.reject(new Error("LIFF stand-in: not logged in"));
      return Promise.resolve({
        userId: state.profile.userId, displayName: state.profile.displayName,
        pictureUrl: state.profile.pictureUrl, statusMessage: ""
      });
    },

    getContext: function () {
      return state.userId ? { type: "utou", userId: state.userId, liffId: state.liffId, viewType: "full",
        availability: state.availability } : null;
    },

    isInClient: function () { return inFrame; },
    getOS: function () { return "web"; },
    getLanguage: function () { return navigator.language || "th"; },
    getVersion: function () { return "2-standin"; },
    isApiAvailable: function (name) {
      if (KNOWN_APIS.indexOf(name) === -1) throw liffError("INVALID_ARGUMENT", "Unexpected API name.");
      if (name === "scanCodeV2" || name === "subwindowOpen") return scanRefusal() === null;
      return false; // the stand-in has none of the others
    },

    closeWindow: function () {
      if (inFrame) window.parent.postMessage({ type: "liff.closeWindow" }, "*");
      else window.close();
    },

    openWindow: function (params) {
      var url = withUser(params.url);
      if (params.external || !inFrame) window.open(url, "_blank", "noopener");
      else window.location.href = url;
    },

    scanCodeV2: function () {
      var refusal = scanRefusal();
      if (refusal) return Promise.reject(refusal);
      if (inFrame) {
        return askViewer("liff.scanCode").then(function (value) {
          return { value: typeof value === "string" ? value : null };
        });
      }
      var value = window.prompt("สแกน QR: พิมพ์หรือวางข้อความใน QR (Scan: type or paste the QR's text)");
      return Promise.resolve({ value: value ? value : null });
    },

    sendMessages: function (messages) {
      if (!state.userId) return Promise.reject(new Error("LIFF stand-in: not logged in"));
      return messages.reduce(function (done, message) {
        return done.then(function () {
          if (message.type !== "text") return undefined;
          return fetch(STANDIN + "/_standin/webhook", {
            method: "POST",
            headers: { "Content-Type": "application/json" },
            body: JSON.stringify({ user_id: state.userId, type: "message", text: message.text })
          });
        });
      }, Promise.resolve()).then(function () { return undefined; });
    }
  };

  window.liff = liff;
})();
