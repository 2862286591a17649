/*
 * The chat viewer: pick a demo LINE user, see their chat with Raksa's official account (polled every second),
 * act as them (follow/unfollow, text, postback buttons, the rich menu), and open Raksa's LIFF pages as them in
 * the phone frame. Every action is a webhook event the stand-in signs and posts to Raksa.
 */
(function () {
  "use strict";

  var POLL_MS = 1000;
  var USERS_POLL_MS = 5000;
  var $ = function (id) { return document.getElementById(id); };

  var config = null;
  var users = [];
  var current = null; // the chosen user's ID
  var lastId = 0;
  var richMenuId; // undefined until the first poll, so that the first one draws the menu (or its absence)
  var richMenuOpen = true;
  var seen = {}; // user ID → the last chat item seen (the list marks chats with news)
  try { seen = JSON.parse(window.localStorage.getItem("standin-seen") || "{}"); } catch (e) { seen = {}; }

  function markSeen() {
    if (!current) return;
    seen[current] = lastId;
    try { window.localStorage.setItem("standin-seen", JSON.stringify(seen)); } catch (e) { /* not kept */ }
  }
  var pollBusy = false;

  // --- small helpers ------------------------------------------------------------------------------

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  function bilingual(th, en) {
    var span = el("span");
    span.appendChild(document.createTextNode(th + " "));
    if (en) span.appendChild(el("span", "en", en));
    return span;
  }

  function api(method, path, body) {
    var options = { method: method, headers: {} };
    if (body !== undefined) {
      options.headers["Content-Type"] = "application/json";
      options.body = JSON.stringify(body);
    }
    return fetch(path, options).then(function (answer) {
      return answer.json().catch(function () { return {}; }).then(function (data) {
        return { status: answer.status, ok: answer.ok, data: data };
      });
    });
  }

  var toastTimer = null;
  function toast(th, en, bad) {
    var node = $("toast");
    node.replaceChildren(bilingual(th, en));
    node.classList.toggle("bad", Boolean(bad));
    node.hidden = false;
    clearTimeout(toastTimer);
    toastTimer = setTimeout(function () { node.hidden = true; }, bad ? 7000 : 3500);
  }

  function clock(ms) {
    var d = new Date(ms);
    return String(d.getHours()).padStart(2, "0") + ":" + String(d.getMinutes()).padStart(2, "0");
  }

  function user() {
    return users.find(function (u) { return u.userId === current; }) || null;
  }

  // --- webhook events -----------------------------------------------------------------------------

  var EVENT_NAMES = { follow: "เพิ่มเพื่อน", unfollow: "บล็อก", message: "ข้อความ", postback: "ปุ่ม (postback)" };

  function reportDelivery(kind, result) {
    var name = EVENT_NAMES[kind] || kind;
    if (result.status === 400 && !result.data.event) {
      toast("ส่งไม่ได้: " + ((result.data.details || [])[0] || {}).property, result.data.message, true);
    } else if (result.data.status === null || result.data.status === undefined) {
      toast("รักษาไม่ตอบ: ส่ง " + name + " ไม่สำเร็จ", result.data.answer || "", true);
    } else if (result.data.status >= 200 && result.data.status < 300) {
      toast("ส่ง" + name + "ถึงรักษาแล้ว", "webhook → HTTP " + result.data.status);
    } else {
      toast("รักษาตอบ HTTP " + result.data.status + " สำหรับ" + name, (result.data.answer || "").slice(0, 200), true);
    }
  }

  function sendEvent(kind, extra) {
    if (!current) return Promise.resolve();
    var body = Object.assign({ user_id: current, type: kind }, extra || {});
    return api("POST", "/_standin/webhook", body).then(function (result) {
      reportDelivery(kind, result);
      return poll();
    }).catch(function () { toast("ติดต่อ LINE จำลองไม่ได้", "the stand-in did not answer", true); });
  }

  // --- actions from buttons, the rich menu and templates -----------------------------------------

  function liffTarget(uri) {
    var url;
    try { url = new URL(uri, window.location.href); } catch (e) { return null; }
    if (url.hostname === "liff.line.me") {
      // LINE opens https://liff.line.me/{liffId}/{path} at the LIFF app's endpoint URL + {path}.
      var parts = url.pathname.split("/").filter(Boolean).slice(1);
      url = new URL(config.liffUrl + parts.join("/") + url.search + url.hash);
    }
    if (/^https?:$/.test(url.protocol) && current) url.searchParams.set("standin_user", current);
    return url;
  }

  function openUri(uri) {
    var url = liffTarget(uri);
    if (!url) { toast("ลิงก์ใช้ไม่ได้", uri, true); return; }
    var raksaOrigin = new URL(config.raksaUrl).origin;
    if (url.origin === raksaOrigin) {
      openPhone(url.toString());
    } else {
      // Other sites (maps, telephone) refuse to be framed: LINE opens them in its browser; here a new tab.
      window.open(url.toString(), "_blank", "noopener");
    }
  }

  function onAction(action) {
    if (!action || !current) return;
    if (!user() || !user().following) {
      toast("เพิ่มเพื่อนก่อน แล้วจึงแตะปุ่มได้", "Add the account as a friend first", true);
      return;
    }
    if (action.type === "postback") {
      sendEvent("postback", { data: action.data, label: action.displayText || action.label || "" });
    } else if (action.type === "message") {
      sendEvent("message", { text: action.text });
    } else if (action.type === "uri") {
      openUri(action.uri);
    } else {
      toast("LINE จำลองยังไม่รองรับปุ่มชนิดนี้", "action type " + action.type + " is not supported", true);
    }
  }

  // --- users ------------------------------------------------------------------------------------

  function drawUsers() {
    var list = $("user-list");
    list.replaceChildren();
    users.forEach(function (u) {
      var item = el("li");
      var button = el("button", "user-button");
      button.type = "button";
      button.dataset.userId = u.userId;
      button.setAttribute("aria-current", u.userId === current ? "true" : "false");
      var img = el("img");
      img.src = u.pictureUrl;
      img.alt = "";
      var text = el("span");
      var name = el("span", "user-name", u.displayName);
      var chip = el("span", "chip" + (u.following ? " chip-friend" : ""), u.following ? "เพื่อน" : "ยังไม่เป็นเพื่อน");
      name.appendChild(chip);
      text.appendChild(name);
      if (u.lastBotMessage) {
        var news = u.userId !== current && u.lastBotMessage.id > (seen[u.userId] || 0);
        var preview = el("span", "user-preview" + (news ? " user-news" : ""), u.lastBotMessage.preview);
        if (news) {
          var dot = el("span", "news-dot", "ใหม่");
          dot.title = "ข้อความใหม่ (new message)";
          preview.prepend(dot);
        }
        text.appendChild(preview);
      }
      if (u.hint && u.hint.th) text.appendChild(el("span", "user-meta", u.hint.th));
      button.append(img, text);
      // Its name is the user (and whether news waits), not the preview's words: "จองคิว" is the menu's button.
      button.setAttribute("aria-label", u.displayName + (u.following ? " (เพื่อน)" : " (ยังไม่เป็นเพื่อน)") +
        (u.lastBotMessage && u.userId !== current && u.lastBotMessage.id > (seen[u.userId] || 0) ? " ข้อความใหม่" : ""));
      button.addEventListener("click", function () { choose(u.userId); });
      item.appendChild(button);
      list.appendChild(item);
    });
  }

  function loadUsers() {
    return api("GET", "/_standin/users").then(function (result) {
      var fresh = result.data.users || [];
      if (JSON.stringify(fresh) === JSON.stringify(users)) return;
      users = fresh;
      drawUsers();
      drawUserState();
    });
  }

  function choose(userId) {
    if (current === userId) return;
    current = userId;
    lastId = 0;
    window.location.hash = "user=" + userId;
    $("chat").replaceChildren();
    drawUsers();
    drawUserState();
    poll().then(function () { scrollChat(true); });
    openPhone(config.liffUrl + "?standin_user=" + encodeURIComponent(userId));
  }

  function drawUserState() {
    var u = user();
    var following = Boolean(u && u.following);
    var toggle = $("follow-toggle");
    toggle.disabled = !u;
    toggle.textContent = following ? "บล็อก" : "เพิ่มเพื่อน";
    toggle.classList.toggle("following", following);
    toggle.title = following ? "บล็อกบัญชี (unfollow event)" : "เพิ่มเป็นเพื่อน (follow event)";
    $("redeliver").disabled = !u;
    $("chat-as").textContent = u ? "คุณคือ " + u.displayName + " · you are " + u.displayName
      : "บัญชีทางการ · Official account";
    $("not-friend").hidden = !u || following;
    $("text").disabled = $("send").disabled = !following;
    $("rich-menu").hidden = !following || !richMenuOpen;
    $("menu-toggle").hidden = !following;
    $("liff-home").disabled = !u;
  }

  // --- the chat ---------------------------------------------------------------------------------

  function botRow(content, timestamp) {
    var row = el("div", "row row-bot");
    row.appendChild(el("span", "mini-avatar", "ร"));
    row.appendChild(content);
    row.appendChild(el("span", "time", clock(timestamp)));
    return row;
  }

  function userRow(content, timestamp) {
    var row = el("div", "row row-user");
    row.appendChild(el("span", "time", clock(timestamp)));
    row.appendChild(content);
    return row;
  }

  function templateCard(template) {
    var card = el("div", "template");
    card.appendChild(el("p", null, template.text || template.title || ""));
    var actions = el("div", "template-actions");
    (template.actions || []).forEach(function (action) {
      var button = el("button", null, action.label || "…");
      button.type = "button";
      button.addEventListener("click", function () { onAction(action); });
      actions.appendChild(button);
    });
    card.appendChild(actions);
    return card;
  }

  function drawItem(item) {
    var m = item.message || {};
    if (item.sender === "system") {
      var note = el("div", "note");
      note.appendChild(bilingual(m.th || "", m.en || ""));
      return note;
    }
    if (item.sender === "user") {
      if (item.via === "postback") {
        var tap = el("div", "text-bubble tap", m.label ? m.label : "แตะปุ่ม (postback)");
        tap.title = "postback: " + m.data;
        return userRow(tap, item.timestamp);
      }
      return userRow(el("div", "text-bubble", m.text || ""), item.timestamp);
    }
    var content;
    if (m.type === "text" || m.type === "textV2") {
      content = el("div", "text-bubble", m.text || "");
    } else if (m.type === "flex") {
      content = el("div", "flex-message");
      content.setAttribute("aria-label", m.altText || "Flex");
      content.appendChild(window.FlexView.render(m.contents, onAction));
    } else if (m.type === "template" && m.template) {
      content = templateCard(m.template);
    } else {
      content = el("div", "other", "[" + (m.type || "?") + "] " + (m.altText || ""));
    }
    return botRow(content, item.timestamp);
  }

  function nearBottom() {
    var chat = $("chat");
    return chat.scrollHeight - chat.scrollTop - chat.clientHeight < 80;
  }

  function scrollChat(force) {
    var chat = $("chat");
    if (force || nearBottom()) chat.scrollTop = chat.scrollHeight;
  }

  function poll() {
    if (!current || pollBusy) return Promise.resolve();
    pollBusy = true;
    var asked = current;
    return api("GET", "/_standin/chat?user_id=" + encodeURIComponent(asked) + "&after=" + lastId)
      .then(function (result) {
        if (asked !== current || !result.ok) return;
        var stick = nearBottom();
        var chat = $("chat");
        result.data.items.forEach(function (item) {
          chat.appendChild(drawItem(item));
          lastId = Math.max(lastId, item.id);
        });
        if (!chat.children.length) {
          var empty = el("div", "chat-empty");
          empty.appendChild(bilingual("ยังไม่มีข้อความ", "No messages yet"));
          chat.appendChild(empty);
        } else {
          var placeholder = chat.querySelector(".chat-empty");
          if (placeholder && chat.children.length > 1) placeholder.remove();
        }
        if (result.data.items.length) {
          if (stick) scrollChat(true);
          markSeen();
        }
        var u = user();
        if (u && u.following !== result.data.user.following) {
          u.following = result.data.user.following;
          drawUsers();
          drawUserState();
        }
        if (result.data.richMenuId !== richMenuId) {
          richMenuId = result.data.richMenuId;
          return loadRichMenu();
        }
        return undefined;
      })
      .catch(function () { /* the stand-in restarts: the next poll tries again */ })
      .finally(function () { pollBusy = false; });
  }

  // --- the rich menu ----------------------------------------------------------------------------

  function loadRichMenu() {
    var holder = $("rich-menu");
    return api("GET", "/_standin/rich-menu").then(function (result) {
      var menu = result.data.richMenu;
      holder.replaceChildren();
      if (!menu) {
        var none = el("p", "rich-menu-empty");
        none.appendChild(bilingual("ยังไม่มีริชเมนู: สร้างด้วย manage.py line_rich_menu",
          "No rich menu yet: manage.py line_rich_menu creates it"));
        holder.appendChild(none);
        $("menu-toggle").textContent = "เมนู ▾";
        return;
      }
      $("menu-toggle").textContent = (menu.chatBarText || "เมนู") + (richMenuOpen ? " ▾" : " ▴");
      var img = el("img");
      img.src = menu.imageUrl;
      img.alt = "";
      holder.appendChild(img);
      menu.areas.forEach(function (area) {
        var b = area.bounds;
        var button = el("button", "rich-area");
        button.type = "button";
        var label = area.action.label || area.action.displayText || area.action.text || area.action.type;
        button.setAttribute("aria-label", label);
        button.title = label;
        button.style.left = (100 * b.x / menu.size.width) + "%";
        button.style.top = (100 * b.y / menu.size.height) + "%";
        button.style.width = (100 * b.width / menu.size.width) + "%";
        button.style.height = (100 * b.height / menu.size.height) + "%";
        button.addEventListener("click", function () { onAction(area.action); });
        holder.appendChild(button);
      });
    });
  }

  // --- the phone frame (LIFF) -------------------------------------------------------------------

  function openPhone(url) {
    if (scanReply) finishScan(null);
    var frame = $("liff-frame");
    frame.src = url;
    frame.hidden = false;
    $("liff-empty").hidden = true;
    $("liff-down").hidden = true;
    $("liff-reload").disabled = $("liff-close").disabled = false;
    $("liff-open").hidden = false;
    $("liff-open").href = url;
    $("liff-url").textContent = url;
    // Raksa not running: say so instead of the browser's error page in the frame.
    fetch(url, { mode: "no-cors", cache: "no-store" }).catch(function () {
      if (frame.src !== url) return;
      frame.hidden = true;
      $("liff-down-url").textContent = new URL(url).origin;
      $("liff-down").hidden = false;
    });
  }

  function closePhone() {
    if (scanReply) finishScan(null);
    var frame = $("liff-frame");
    frame.src = "about:blank";
    frame.hidden = true;
    $("liff-empty").hidden = false;
    $("liff-down").hidden = true;
    $("liff-reload").disabled = $("liff-close").disabled = true;
    $("liff-open").hidden = true;
    $("liff-url").textContent = "";
  }

  // liff.scanCodeV2 in the phone: LINE's reader opens over the screen and answers {value: text}, or
  // {value: null} when the person closes it. No camera here: the visitor pastes the QR's text.
  var scanReply = null; // the frame's pending scan, answered once

  function finishScan(value) {
    var reply = scanReply;
    scanReply = null;
    var dialog = $("scan-dialog");
    if (dialog.open) dialog.close();
    if (reply) reply({ value: value });
  }

  function askScan(reply) {
    if (scanReply) finishScan(null); // a second scan replaces the first, as a new reader would
    scanReply = reply;
    var dialog = $("scan-dialog");
    $("scan-value").value = "";
    dialog.returnValue = "";
    dialog.show(); // over the phone's screen only: the chat stays usable, as in LINE beside the phone
    $("scan-value").focus();
  }

  $("scan-dialog").addEventListener("close", function () {
    if (!scanReply) return;
    var text = $("scan-value").value.trim();
    finishScan($("scan-dialog").returnValue === "ok" && text ? text : null);
  });
  $("scan-dialog").addEventListener("keydown", function (event) {
    if (event.key === "Escape") finishScan(null);
  });

  // For tests (Playwright): whether the phone waits for a scan, and answering it as if that text were read
  // (null: the reader was closed). The same path as the visitor's paste.
  window.standinViewer = {
    scanPending: function () { return scanReply !== null; },
    answerScan: function (value) {
      if (!scanReply) return false;
      finishScan(value === null || value === undefined ? null : String(value));
      return true;
    }
  };

  window.addEventListener("message", function (event) {
    var frame = $("liff-frame");
    if (event.source !== frame.contentWindow || !event.data || typeof event.data !== "object") return;
    if (event.data.type === "liff.closeWindow") {
      closePhone();
    } else if (event.data.type === "liff.scanCode") {
      var id = event.data.id;
      var origin = event.origin;
      var source = event.source;
      askScan(function (answer) {
        source.postMessage({ type: "liff.scanCode.result", id: id, value: answer.value }, origin);
      });
    }
  });

  // --- wiring -----------------------------------------------------------------------------------

  $("follow-toggle").addEventListener("click", function () {
    var u = user();
    if (u) sendEvent(u.following ? "unfollow" : "follow").then(loadUsers);
  });
  $("follow-big").addEventListener("click", function () {
    sendEvent("follow").then(loadUsers);
  });
  $("redeliver").addEventListener("click", function () {
    if (!current) return;
    api("POST", "/_standin/redeliver", { user_id: current }).then(function (result) {
      if (result.status === 404) toast("ผู้ใช้นี้ยังไม่มีเหตุการณ์ให้ส่งซ้ำ", "no event to redeliver yet", true);
      else reportDelivery(result.data.event ? result.data.event.type : "event", result);
    });
  });
  $("composer").addEventListener("submit", function (event) {
    event.preventDefault();
    var input = $("text");
    var text = input.value.trim();
    if (!text) return;
    input.value = "";
    sendEvent("message", { text: text }).then(function () { scrollChat(true); });
  });
  $("menu-toggle").addEventListener("click", function () {
    richMenuOpen = !richMenuOpen;
    $("menu-toggle").setAttribute("aria-expanded", String(richMenuOpen));
    $("menu-toggle").textContent = $("menu-toggle").textContent.replace(/[▾▴]$/, richMenuOpen ? "▾" : "▴");
    drawUserState();
  });
  $("add-user").addEventListener("submit", function (event) {
    event.preventDefault();
    var input = $("new-user-name");
    api("POST", "/_standin/users", { display_name: input.value }).then(function (result) {
      if (!result.ok) { toast("เพิ่มผู้ใช้ไม่ได้", result.data.message, true); return; }
      input.value = "";
      loadUsers().then(function () { choose(result.data.userId); });
    });
  });
  $("liff-home").addEventListener("click", function () {
    if (current) openPhone(config.liffUrl + "?standin_user=" + encodeURIComponent(current));
  });
  $("liff-reload").addEventListener("click", function () {
    var frame = $("liff-frame");
    if (!$("liff-down").hidden) { openPhone(frame.src); return; }
    try { frame.contentWindow.location.reload(); } catch (e) { frame.src = frame.src; }
  });
  $("liff-close").addEventListener("click", closePhone);

  api("GET", "/_standin/config").then(function (result) {
    config = result.data;
    $("target").textContent = "webhook → " + config.webhookUrl + " · LIFF → " + config.liffUrl;
    return loadUsers();
  }).then(function () {
    var wanted = (window.location.hash.match(/user=(U[0-9a-f]{32})/) || [])[1];
    if (wanted && users.some(function (u) { return u.userId === wanted; })) choose(wanted);
    setInterval(poll, POLL_MS);
    setInterval(loadUsers, USERS_POLL_MS);
  });
})();
