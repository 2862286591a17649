/* Binding or destructive actions ask first: a submit button (or its form) with data-confirm="question"
   shows the question, and the form is sent only when the user agrees. Without JavaScript the action
   goes through as before (the server still checks everything). No libraries. */
(function () {
  "use strict";
  document.addEventListener("submit", function (event) {
    var button = event.submitter;
    var question = (button && button.getAttribute("data-confirm")) || event.target.getAttribute("data-confirm");
    if (question && !window.confirm(question)) {
      event.preventDefault();
    }
  });
}());
