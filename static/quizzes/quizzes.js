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
  function flashcardKeys() {
    var form = document.getElementById("rating-form");
    if (!form) return;
    document.addEventListener("keydown", function (event) {
      if (event.target.matches("input, textarea, select") || event.ctrlKey || event.metaKey || event.altKey) return;
      var answer = document.getElementById("answer");
      if (event.key === " " && answer) { event.preventDefault(); answer.open = !answer.open; return; }
      var button = form.querySelector('button[data-key="' + event.key + '"]');
      if (button) { event.preventDefault(); button.click(); }
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
