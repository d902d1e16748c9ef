// Mock exam countdown (the server enforces the deadline; this only shows it) and flashcard shortcuts.
(function () {
  "use strict";
  function startTimer() {
    var el = document.getElementById("time-left");
    if (!el) return;
    var deadline = Date.parse(el.dataset.deadline);
    function tick() {
      var left = Math.max(0, Math.floor((deadline - Date.now()) / 1000));
      var h = Math.floor(left / 3600), m = Math.floor((left % 3600) / 60), s = left % 60;
      el.textContent = (h ? h + ":" : "") + String(m).padStart(h ? 2 : 1, "0") + ":" + String(s).padStart(2, "0");
      el.parentElement.classList.toggle("low", left < 300);
      if (left === 0) { window.location.reload(); return; }
      window.setTimeout(tick, 1000);
    }
    tick();
  }
  // Space shows the answer (a link, so it works without JavaScript too); 1-4 rate once it is shown; u undoes.
  function flashcardKeys() {
    if (!document.querySelector(".flashcard, #undo")) return;
    document.addEventListener("keydown", function (event) {
      if (event.target.matches("input, textarea, select") || event.ctrlKey || event.metaKey || event.altKey) return;
      if (event.key === " " && event.target.matches("button, a")) return;  // space already activates what has focus
      var target = null;
      if (event.key === " ") target = document.getElementById("show-answer");
      else if (event.key === "u" || event.key === "U") target = document.getElementById("undo");
      else if (/^[1-4]$/.test(event.key)) target = document.querySelector('#rating-form button[data-key="' + event.key + '"]');
      if (target) { event.preventDefault(); target.click(); }
    });
  }
  // Screen readers hear the time only at two warnings (the timer itself is aria-live="off": a tick a second is noise).
  function timerWarnings() {
    var el = document.getElementById("time-left");
    if (!el) return;
    var deadline = Date.parse(el.dataset.deadline);
    var status = document.createElement("p");
    status.className = "visually-hidden";
    status.setAttribute("aria-live", "polite");
    el.closest(".timer").after(status);
    [[300, "5 minutes left."], [60, "1 minute left."]].forEach(function (warning) {
      var wait = deadline - warning[0] * 1000 - Date.now();
      if (wait > 0) window.setTimeout(function () { status.textContent = warning[1]; }, wait);
    });
  }
  document.addEventListener("DOMContentLoaded", function () { startTimer(); timerWarnings(); flashcardKeys(); });
})();
