// Click a highlighted span: a small popover with the resolved speaker and the kind.
// Everything shown goes through textContent, never innerHTML.
(function () {
  "use strict";
  function row(dl, term, value, href) {
    if (!value) return;
    var dt = document.createElement("dt"); dt.textContent = term;
    var dd = document.createElement("dd");
    if (href) { var a = document.createElement("a"); a.href = href; a.textContent = value; dd.appendChild(a); }
    else dd.textContent = value;
    dl.appendChild(dt); dl.appendChild(dd);
  }
  function show(mark) {
    var pop = document.getElementById("popover");
    if (!pop) return;
    var d = mark.dataset;
    pop.replaceChildren();
    var dl = document.createElement("dl");
    var person = /^\d+$/.test(d.person || "") ? "/people/" + d.person : null;
    row(dl, "Speaker", d.speaker, person);
    row(dl, "Titles", d.titles);
    row(dl, "Resolved", d.resolution);
    row(dl, "Kind", d.kind);
    row(dl, "Part", d.role);
    row(dl, "Statement", d.number);
    row(dl, "Confidence", d.confidence);
    if (/^\d+$/.test(d.quote || "")) row(dl, "Quote", "other occurrences", "/quotes/" + d.quote);
    pop.appendChild(dl);
    var r = mark.getBoundingClientRect();
    pop.style.left = (window.scrollX + r.left) + "px";
    pop.style.top = (window.scrollY + r.bottom + 6) + "px";
    pop.hidden = false;
    document.querySelectorAll("mark.sw.active").forEach(function (m) { m.classList.remove("active"); });
    document.querySelectorAll('mark.sw[data-statement="' + CSS.escape(d.statement) + '"]')
      .forEach(function (m) { m.classList.add("active"); });
  }
  document.addEventListener("click", function (ev) {
    var mark = ev.target.closest && ev.target.closest("mark.sw");
    var pop = document.getElementById("popover");
    if (mark) { show(mark); ev.stopPropagation(); }
    else if (pop && !pop.contains(ev.target)) pop.hidden = true;
  });
  // the paste form: a text over the limit is not sent (and so not lost), the reason is shown
  document.addEventListener("submit", function (ev) {
    var form = ev.target;
    if (!form.matches || !form.matches("form.paste")) return;
    var max = parseInt(form.dataset.maxChars, 10);
    var text = form.querySelector("textarea[name=text]").value;
    var n = Array.from(text).length;
    if (max && n > max) {
      ev.preventDefault();
      var err = document.getElementById("paste-error");
      err.textContent = "Article too long: " + n.toLocaleString("en") + " characters (the limit is " +
        max.toLocaleString("en") + "). Nothing was sent; your text is still here.";
      err.hidden = false;
    }
  });
  document.addEventListener("keydown", function (ev) {
    if (ev.key === "Escape") { var pop = document.getElementById("popover"); if (pop) pop.hidden = true; }
  });
})();
