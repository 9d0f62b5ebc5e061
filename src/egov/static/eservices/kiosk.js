// Kiosk mode of the dossier lookup: on-screen keypad, and back to the start screen after inactivity.
(function () {
  "use strict";
  var root = document.getElementById("main");
  if (!root) { return; }
  var input = document.getElementById("ma");
  var idleSeconds = parseInt(root.getAttribute("data-idle-seconds"), 10) || 60;
  var home = root.getAttribute("data-home");
  var timer = null;

  function isStartScreen() {
    return input && window.location.search === "" && input.value === "";
  }

  function resetTimer() {
    if (timer) { window.clearTimeout(timer); }
    timer = window.setTimeout(function () {
      if (!isStartScreen()) { window.location.assign(home); } else { resetTimer(); }
    }, idleSeconds * 1000);
  }

  root.addEventListener("click", function (event) {
    var button = event.target.closest("button[data-key], button[data-action]");
    if (!button || !input) { return; }
    var key = button.getAttribute("data-key");
    var action = button.getAttribute("data-action");
    if (key !== null && input.value.length < 60) {
      input.value += key;
    } else if (action === "back") {
      input.value = input.value.slice(0, -1);
    } else if (action === "clear") {
      input.value = "";
    }
  });

  ["click", "keydown", "touchstart", "pointerdown"].forEach(function (name) {
    document.addEventListener(name, resetTimer, { passive: true });
  });
  resetTimer();
}());
