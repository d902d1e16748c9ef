// Mock exam: saves every change of selection and the flag as it happens, counts down the
// server's time left with spoken warnings, and keyboard shortcuts. Without it the forms still work.
(function () {
  "use strict";
  var WARNINGS = [[900, "15 minutes left."], [300, "5 minutes left."]];

  function announce(text) {
    var region = document.getElementById("exam-announcer");
    if (!region) return;
    region.textContent = "";
    window.setTimeout(function () { region.textContent = text; }, 50);
  }

  function format(left) {
    var h = Math.floor(left / 3600), m = Math.floor((left % 3600) / 60), s = left % 60;
    return (h ? h + ":" : "") + String(m).padStart(h ? 2 : 1, "0") + ":" + String(s).padStart(2, "0");
  }

  function startTimer() {
    var el = document.getElementById("exam-time-left");
    if (!el) return;
    // Count down from the server's figure with the monotonic clock: the learner's clock does not matter.
    var initial = parseInt(el.dataset.secondsLeft, 10), started = performance.now();
    var key = "mock-warned-" + el.dataset.attempt;
    function tick() {
      var left = Math.max(0, initial - Math.floor((performance.now() - started) / 1000));
      el.textContent = format(left);
      el.parentElement.classList.toggle("low", left <= 900);
      WARNINGS.forEach(function (warning) {
        var said = (sessionStorage.getItem(key) || "").split(",");
        if (left <= warning[0] && left > 0 && said.indexOf(String(warning[0])) === -1) {
          sessionStorage.setItem(key, said.concat([warning[0]]).join(","));
          announce(warning[1]);
        }
      });
      if (left === 0) { window.location.reload(); return; }
      window.setTimeout(tick, 1000);
    }
    tick();
  }

  function updateNavigator(position, answered, flagged) {
    var cell = document.querySelector('.navigator [data-position="' + position + '"]');
    if (!cell) return;
    cell.classList.toggle("answered", answered);
    cell.classList.toggle("flagged", flagged);
    cell.setAttribute("aria-label", "Question " + position + (answered ? ", answered" : ", unanswered") + (flagged ? ", flagged" : ""));
  }

  function showFlag(button, flagged) {
    button.value = flagged ? "0" : "1";
    button.setAttribute("aria-pressed", flagged ? "true" : "false");
    button.lastChild.textContent = flagged ? " Remove flag" : " Flag for review";
    document.getElementById("flag-state").hidden = !flagged;
  }

  function autosave() {
    var form = document.getElementById("answer-form");
    if (!form) return;
    var status = document.getElementById("save-status");
    var flagButton = document.getElementById("flag-button");
    var pending = 0, queue = Promise.resolve();
    function chosenLetters() {
      return Array.prototype.map.call(form.querySelectorAll('input[name="option"]:checked'), function (input) {
        return input.parentElement.querySelector(".letter").textContent;
      }).join(", ");
    }
    // One save at a time, each sending the form as it is then: the server ends with the latest selection.
    function save(flag) {
      pending += 1;
      status.textContent = "Saving…";
      queue = queue.then(function () { return send(flag); });
      return queue;
    }
    function send(flag) {
      var data = new FormData(form);
      if (flag !== undefined) data.append("flag", flag);
      return fetch(form.dataset.saveUrl, { method: "POST", body: data, credentials: "same-origin", headers: { "Accept": "application/json" } })
        .then(function (reply) {
          return reply.json().then(function (body) {
            if (!reply.ok) throw new Error(body.error || "Not saved.");
            return body;
          });
        })
        .then(function (body) {
          pending -= 1;
          updateNavigator(body.position, body.answered, body.flagged);
          showFlag(flagButton, body.flagged);
          if (!pending) status.textContent = flag !== undefined ? (body.flagged ? "Flagged for review." : "Flag removed.") : (body.answered ? "Your answer is saved: " + chosenLetters() + "." : "Answer cleared.");
        })
        .catch(function (error) {
          pending -= 1;
          status.textContent = "Not saved: " + error.message;
        });
    }
    form.addEventListener("change", function (event) {
      if (event.target.name !== "option") return;
      var limit = parseInt(form.dataset.limit, 10);
      if (event.target.type === "checkbox" && form.querySelectorAll('input[name="option"]:checked').length > limit) {
        event.target.checked = false;
        status.textContent = "Choose at most " + limit + ": untick one first.";
        return;
      }
      save();
    });
    flagButton.addEventListener("click", function (event) { event.preventDefault(); save(flagButton.value); });
    document.addEventListener("keydown", function (event) {
      if (event.ctrlKey || event.metaKey || event.altKey || event.target.matches("textarea, select, input[type=text]")) return;
      var inputs = form.querySelectorAll('input[name="option"]');
      var number = parseInt(event.key, 10);
      if (number >= 1 && number <= inputs.length) {
        event.preventDefault();
        inputs[number - 1].click();
        inputs[number - 1].focus();
        return;
      }
      var key = event.key.toLowerCase();
      if (key === "f") { event.preventDefault(); flagButton.click(); return; }
      var button = form.querySelector('button[data-key="' + key + '"]');
      if (button) { event.preventDefault(); button.click(); }
    });
  }

  // Back/forward may show a page kept in memory: fetch the server's state instead.
  window.addEventListener("pageshow", function (event) { if (event.persisted) window.location.reload(); });
  document.addEventListener("DOMContentLoaded", function () { startTimer(); autosave(); });
})();
