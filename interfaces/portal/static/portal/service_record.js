// The service record form: "add a row" for more items (the page works without it: a few empty rows are
// always there), and after pricing, focus on the price so the total is read before sending.
(function () {
  "use strict";
  var form = document.getElementById("record-form");
  if (!form) return;
  var rows = document.getElementById("item-rows");
  var add = document.getElementById("item-add");
  var MAX_ROWS = 30;
  if (rows && add) {
    add.hidden = false;
    add.addEventListener("click", function () {
      var all = rows.querySelectorAll(".item-row");
      if (all.length >= MAX_ROWS) { add.disabled = true; return; }
      var last = all[all.length - 1];
      var next = Number(last.getAttribute("data-row")) + 1;
      var row = last.cloneNode(true);
      row.setAttribute("data-row", String(next));
      row.querySelectorAll(".field__errors").forEach(function (el) { el.remove(); });
      row.querySelectorAll(".field--error").forEach(function (el) { el.classList.remove("field--error"); });
      row.querySelectorAll("input, label").forEach(function (el) {
        ["id", "name", "for"].forEach(function (attr) {
          var value = el.getAttribute(attr);
          if (value) el.setAttribute(attr, value.replace(/_\d+$/, "_" + next));
        });
        if (el.tagName === "INPUT") el.value = "";
        if (el.tagName === "LABEL" && /\d+$/.test(el.textContent.trim()) && el.getAttribute("for").indexOf("code") >= 0) {
          el.textContent = el.textContent.trim().replace(/\d+$/, String(next + 1));
        }
      });
      rows.appendChild(row);
      row.querySelector("input").focus();
      if (all.length + 1 >= MAX_ROWS) add.disabled = true;
    });
  }
  // After the server answered: the first field with an error, or else the price, gets the focus.
  var wrong = form.querySelector(".field--error input, .field--error select");
  var price = document.getElementById("price-title");
  if (wrong) { wrong.focus(); } else if (price) { price.focus(); }
})();
