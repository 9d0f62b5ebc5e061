// Counter reception page: label the applicant fields for a person or a business (no inline scripts: CSP).
(function () {
  "use strict";

  function relabel(form) {
    var checked = form.querySelector("input.applicant-kind:checked");
    var kind = checked && checked.value === "business" ? "business" : "person";
    form.querySelectorAll("label[data-person]").forEach(function (label) {
      label.textContent = label.getAttribute("data-" + kind);
    });
  }

  function bind(root) {
    root.querySelectorAll("form.reception-form").forEach(function (form) {
      if (form.dataset.bound) { return; }
      form.dataset.bound = "1";
      form.addEventListener("change", function (event) {
        if (event.target.classList.contains("applicant-kind")) { relabel(form); }
      });
      relabel(form);
    });
  }

  document.addEventListener("DOMContentLoaded", function () { bind(document); });
  // The checklist arrives through HTMX when a procedure is chosen.
  document.addEventListener("htmx:afterSwap", function (event) { bind(event.target); });
})();
