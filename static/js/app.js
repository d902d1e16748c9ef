// Enhancements for every page; each works only when its markup is present, and every page works without them.
(function () {
  "use strict";

  // Phone header: the menu button shows and hides the navigation (without JS the navigation simply stays open).
  function navMenu() {
    var toggle = document.querySelector(".nav-toggle");
    var panel = toggle && document.getElementById(toggle.getAttribute("aria-controls"));
    if (!panel) return;
    toggle.hidden = false;
    toggle.closest(".nav").classList.add("nav-menu-ready");
    function setOpen(open) {
      toggle.setAttribute("aria-expanded", String(open));
      panel.classList.toggle("open", open);
    }
    toggle.addEventListener("click", function () { setOpen(toggle.getAttribute("aria-expanded") !== "true"); });
    document.addEventListener("keydown", function (event) {
      if (event.key === "Escape" && panel.classList.contains("open")) { setOpen(false); toggle.focus(); }
    });
  }

  // A copy button on every code and CLI block; the result is announced through a polite live region.
  function copyText(text) {
    if (navigator.clipboard && window.isSecureContext) return navigator.clipboard.writeText(text);
    return new Promise(function (resolve, reject) {
      var area = document.createElement("textarea");
      area.value = text;
      area.setAttribute("readonly", "");
      area.style.position = "fixed";
      area.style.opacity = "0";
      document.body.appendChild(area);
      area.select();
      var ok = document.execCommand("copy");
      document.body.removeChild(area);
      if (ok) { resolve(); } else { reject(new Error("copy refused")); }
    });
  }
  var copyStatus = null;
  function copyButtons(root) {
    var blocks = root.querySelectorAll(".highlight > pre, pre.cli");
    blocks.forEach(function (pre) {
      if (pre.closest(".copyable")) return;  // already has its button
      if (!copyStatus) {
        copyStatus = document.createElement("p");
        copyStatus.className = "visually-hidden";
        copyStatus.setAttribute("aria-live", "polite");
        document.body.appendChild(copyStatus);
      }
      var box = pre.parentElement.classList.contains("highlight") ? pre.parentElement : null;
      if (!box) {
        box = document.createElement("div");
        pre.parentNode.insertBefore(box, pre);
        box.appendChild(pre);
      }
      box.classList.add("copyable");
      var button = document.createElement("button");
      button.type = "button";
      button.className = "copy-button";
      button.textContent = "Copy";
      button.addEventListener("click", function () {
        copyText(pre.innerText.replace(/\n$/, "")).then(function () {
          button.textContent = "Copied";
          copyStatus.textContent = "Copied to the clipboard.";
        }, function () {
          copyStatus.textContent = "Could not copy: select the text and copy it by hand.";
        });
        window.setTimeout(function () { button.textContent = "Copy"; copyStatus.textContent = ""; }, 2000);
      });
      box.appendChild(button);
    });
  }

  // A table too wide for the screen scrolls in its own box; the keyboard must be able to reach it to scroll it.
  function focusableScrollers(root) {
    root.querySelectorAll("table").forEach(function (table) {
      if (table.scrollWidth > table.clientWidth + 1 && !table.hasAttribute("tabindex")) table.setAttribute("tabindex", "0");
    });
  }

  // The lesson's table of contents marks the section being read (aria-current="location").
  function tocFollowsScroll() {
    var links = Array.prototype.slice.call(document.querySelectorAll(".toc a[href^='#']"));
    if (!links.length || !("IntersectionObserver" in window)) return;
    var byId = {};
    var headings = [];
    links.forEach(function (link) {
      var heading = document.getElementById(decodeURIComponent(link.hash.slice(1)));
      if (heading) { byId[heading.id] = link; headings.push(heading); }
    });
    function mark(id) {
      links.forEach(function (link) { link.removeAttribute("aria-current"); });
      if (byId[id]) byId[id].setAttribute("aria-current", "location");
    }
    function current() {
      // The last heading above the top third of the screen is the section being read.
      var line = window.innerHeight / 3, found = headings[0];
      headings.forEach(function (heading) { if (heading.getBoundingClientRect().top <= line) found = heading; });
      return found;
    }
    var observer = new IntersectionObserver(function () { mark(current().id); }, { rootMargin: "0px 0px -66% 0px", threshold: [0, 1] });
    headings.forEach(function (heading) { observer.observe(heading); });
    mark(current().id);
  }

  // The lab run's status fragment is replaced by polling; a live region outside it announces each new state.
  function labStatusAnnouncer() {
    var fragment = document.getElementById("run-status");
    if (!fragment) return;
    var status = document.createElement("p");
    status.className = "visually-hidden";
    status.setAttribute("aria-live", "polite");
    status.id = "run-announcer";
    fragment.before(status);
    var last = document.getElementById("state") ? document.getElementById("state").textContent.trim() : "";
    document.body.addEventListener("htmx:afterSettle", function () {
      var state = document.getElementById("state");
      if (!state || state.textContent.trim() === last) return;
      last = state.textContent.trim();
      var failures = document.querySelectorAll("#run-status li.check.fail").length;
      status.textContent = "Lab state: " + last + "." + (failures ? " " + failures + " check" + (failures > 1 ? "s" : "") + " not passing yet." : "");
    });
  }

  // A status rendered by a form post (answer feedback, "marked complete", result counts) is already on the page
  // when it loads, so screen readers would not announce it; repeating it into a live region a moment later does.
  function announceStatusOnLoad() {
    var shown = document.querySelector("main [role=status]");
    if (!shown || !shown.textContent.trim()) return;
    var region = document.createElement("p");
    region.className = "visually-hidden";
    region.setAttribute("aria-live", "polite");
    region.id = "load-announcer";
    document.body.appendChild(region);
    window.setTimeout(function () { region.textContent = shown.textContent.replace(/\s+/g, " ").trim(); }, 400);
  }

  document.addEventListener("DOMContentLoaded", function () {
    navMenu(); copyButtons(document); focusableScrollers(document); tocFollowsScroll(); labStatusAnnouncer(); announceStatusOnLoad();
    document.body.addEventListener("htmx:afterSettle", function (event) { copyButtons(event.target); focusableScrollers(event.target); });
  });
})();
