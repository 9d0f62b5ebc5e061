// One-stop work pages: ask before irreversible actions (forms carrying data-confirm). No inline scripts (CSP).
(function () {
  "use strict";
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!(form instanceof HTMLFormElement)) {
      return;
    }
    var question = form.getAttribute("data-confirm");
    if (question && !window.confirm(question)) {
      event.preventDefault();
      return;
    }
    var button = form.querySelector("button[type=submit]");
    if (button) {
      // One click, one action: a double submit would only meet the status check, but spare the user the error.
      window.setTimeout(function () { button.disabled = true; }, 0);
    }
  });
})();
