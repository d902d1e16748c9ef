// Flashcard shortcuts (the mock exam's timer lives in mock.js).
(function () {
  "use strict";
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
  document.addEventListener("DOMContentLoaded", function () { flashcardKeys(); });
})();
