// Procedure catalogue pages: filters apply on change; stopping a procedure asks for confirmation.
(function () {
  "use strict";
  document.querySelectorAll("form[data-autosubmit] select, form[data-autosubmit] input[type=checkbox]")
    .forEach(function (input) {
      input.addEventListener("change", function () { input.form.requestSubmit(); });
    });
  document.querySelectorAll("form[data-confirm]").forEach(function (form) {
    form.addEventListener("submit", function (event) {
      if (!window.confirm(form.getAttribute("data-confirm"))) { event.preventDefault(); }
    });
  });
})();
