// The SQL editor: a textarea over a highlighted copy of its text, and Ctrl/Cmd+Enter to run.
(function () {
  "use strict";
  var KEYWORDS = ("select from where and or not in like is null as join inner left right full outer cross on group by order having " +
    "limit offset union all distinct with recursive insert into values update set delete create table view replace drop alter " +
    "case when then else end between exists asc desc over partition window cast true false primary key references").split(" ");
  var KW = new Set(KEYWORDS);
  var TOKEN = /(--[^\n]*|\/\*[\s\S]*?\*\/)|('(?:[^']|'')*'?)|("(?:[^"]|"")*"?)|(\b\d+(?:\.\d+)?\b)|([A-Za-z_][A-Za-z0-9_]*)(?=\s*\()|([A-Za-z_][A-Za-z0-9_]*)|([\s\S])/g;

  function escape(text) { return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;"); }

  function highlight(sql) {
    var out = "", match;
    TOKEN.lastIndex = 0;
    while ((match = TOKEN.exec(sql)) !== null) {
      var text = escape(match[0]);
      if (match[1]) out += '<span class="tok-com">' + text + "</span>";
      else if (match[2]) out += '<span class="tok-str">' + text + "</span>";
      else if (match[4]) out += '<span class="tok-num">' + text + "</span>";
      else if (match[5]) out += KW.has(match[5].toLowerCase()) ? '<span class="tok-kw">' + text + "</span>" : '<span class="tok-fn">' + text + "</span>";
      else if (match[6] && KW.has(match[6].toLowerCase())) out += '<span class="tok-kw">' + text + "</span>";
      else out += text;
    }
    return out + "\n";
  }

  function enhance(editor) {
    var area = editor.querySelector("textarea"), code = editor.querySelector("pre code"), pre = editor.querySelector("pre");
    function sync() { code.innerHTML = highlight(area.value); pre.scrollTop = area.scrollTop; }
    area.addEventListener("input", sync);
    area.addEventListener("scroll", function () { pre.scrollTop = area.scrollTop; });
    area.addEventListener("keydown", function (event) {
      if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) {
        event.preventDefault();
        var form = area.closest("form");
        if (form.requestSubmit) form.requestSubmit(); else form.submit();
      }
    });
    editor.classList.add("enhanced");
    sync();
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("[data-editor]").forEach(enhance);
  });
})();
