/* The authen code's copy button: navigator.clipboard where the page may use it (HTTPS or localhost), else a
   hidden text field and document.execCommand("copy"). The code is copied without the spaces between its
   groups. No libraries. */
(function () {
  "use strict";
  var code = document.getElementById("authen-code");
  var button = document.getElementById("authen-copy");
  var note = document.getElementById("authen-copied");
  if (!code || !button) { return; }
  var value = code.getAttribute("data-code");

  function fallback() {
    var field = document.createElement("textarea");
    field.value = value;
    field.setAttribute("readonly", "");
    field.style.position = "fixed";
    field.style.opacity = "0";
    document.body.appendChild(field);
    field.select();
    var done = false;
    try { done = document.execCommand("copy"); } catch (e) { done = false; }
    document.body.removeChild(field);
    return done ? Promise.resolve() : Promise.reject(new Error("copy refused"));
  }

  button.hidden = false;
  button.addEventListener("click", function () {
    var copying = navigator.clipboard && window.isSecureContext
      ? navigator.clipboard.writeText(value).catch(fallback) : fallback();
    copying.then(function () {
      note.textContent = button.getAttribute("data-copied");
    }, function () {
      note.textContent = button.getAttribute("data-failed");
      var range = document.createRange();
      range.selectNodeContents(code);
      var selection = window.getSelection();
      selection.removeAllRanges();
      selection.addRange(range);
    });
  });
}());
