// Search as you type over the server-rendered /search page: without this script the form
// and the links work as they are. Results come from /api/search with the last word as a
// prefix; the address follows the query so it can be shared and cached.
(() => {
  "use strict";
  const input = document.getElementById("zoekopdracht");
  const box = document.getElementById("resultaten");
  if (!input || !box || !window.fetch || !window.history) return;
  const hint = document.getElementById("zoekhulp");
  if (hint) hint.classList.add("on");

  const label = () => new URLSearchParams(location.search).get("label") || "";
  let timer = 0, pending = null, last = input.value.trim();

  const esc = (s) => String(s).replace(/[&<>"']/g, (c) => "&#" + c.charCodeAt(0) + ";");
  const form = (s) => encodeURIComponent(s).replace(/%20/g, "+");
  const url = (q, lab) => "/search?q=" + form(q) + (lab ? "&label=" + form(lab) : "");
  const berichten = (n) => n + (n === 1 ? " bericht" : " berichten");
  const maanden = "januari februari maart april mei juni juli augustus september oktober november december".split(" ");
  const datum = (d) => /^\d{4}-\d\d-\d\d/.test(d) && maanden[d.slice(5, 7) - 1]
    ? +d.slice(8, 10) + " " + maanden[d.slice(5, 7) - 1] + " " + d.slice(0, 4) : d;

  // The same markup results_html writes on the server, so CSS and tests see one page.
  function render(d, q, lab) {
    let h = "";
    if (d.fallback === "suggestion")
      h += '<p class="suggestion">Niets gevonden voor <strong>' + esc(q) + '</strong>; resultaten voor <a href="' +
        esc(url(d.suggestion, lab)) + '">' + esc(d.suggestion) + "</a>.</p>";
    else if (d.suggestion)
      h += '<p class="suggestion">Bedoelde je <a href="' + esc(url(d.suggestion, lab)) + '">' + esc(d.suggestion) + "</a>?</p>";
    if (d.fallback === "or")
      h += '<p class="fallback">Geen bericht bevat alle woorden; dit zijn berichten met een of meer ervan.</p>';
    if (!d.total)
      return h + '<p class="count" role="status">Geen berichten gevonden voor <strong>' + esc(q) + "</strong>.</p>";
    h += '<p class="count" role="status">' + berichten(d.total) + " gevonden voor <strong>" + esc(q) + "</strong>.</p>";
    const labels = Object.entries(d.facets.labels || {}), years = Object.entries(d.facets.years || {});
    if (labels.length || years.length) {
      h += '<nav class="facets" aria-label="Verfijnen">';
      if (labels.length) {
        h += '<h2>Labels</h2><ul class="chips">';
        for (const [l, n] of labels)
          h += '<li class="chip"><a ' + (l === lab ? 'aria-current="true" ' : "") + 'href="' + esc(url(q, l)) + '">' + esc(l) + "</a> (" + n + ")</li>";
        if (lab) h += '<li class="chip"><a href="' + esc(url(q, "")) + '">alle labels</a></li>';
        h += "</ul>";
      }
      if (years.length) {
        h += '<h2>Jaren</h2><ul class="chips">';
        for (const [y, n] of years)
          h += '<li class="chip"><a href="' + esc(url(q + " jaar:" + y, lab)) + '">' + esc(y) + "</a> (" + n + ")</li>";
        h += "</ul>";
      }
      h += "</nav>";
    }
    h += '<ol class="results">';
    for (const r of d.results)
      // The snippet is HTML from the server: escaped text with <mark> around the hits.
      // r.url is percent-encoded already; r.anchor names the heading above the passage.
      h += '<li><h2><a href="' + esc(r.url + (r.anchor ? "#" + r.anchor : "")) + '">' + esc(r.title) + '</a></h2><p class="meta"><time datetime="' +
        esc(r.date) + '">' + esc(datum(r.date)) + "</time></p><p>" + r.snippet + "</p></li>";
    h += "</ol>";
    if (d.total > d.results.length)
      h += '<nav class="pager" aria-label="Resultaatpagina\'s"><span></span><a rel="next" href="' +
        esc(url(q, lab) + "&page=2") + '">Volgende</a></nav>';
    return h;
  }

  async function run() {
    const q = input.value.trim(), lab = label();
    if (q === last) return;
    last = q;
    history.replaceState(null, "", q ? url(q, lab) : "/search" + (lab ? "?label=" + form(lab) : ""));
    if (pending) pending.abort();
    if (!q) {
      box.innerHTML = "<p>Typ een of meer woorden om in de berichten te zoeken.</p>";
      return;
    }
    pending = new AbortController();
    try {
      const r = await fetch("/api/search?q=" + form(q) + "&prefix=1" + (lab ? "&label=" + form(lab) : ""),
        { signal: pending.signal, headers: { Accept: "application/json" } });
      const d = await r.json();
      box.innerHTML = r.ok ? render(d, q, lab) : '<p class="count" role="status">' + esc(d.error || "Zoeken lukt nu niet.") + "</p>";
      document.title = q + " — Zoeken | " + document.title.split(" | ").pop();
    } catch (e) {
      if (e.name !== "AbortError") box.innerHTML = '<p class="count" role="status">Zoeken lukt nu niet; probeer het zo nog eens.</p>';
    }
  }

  input.addEventListener("input", () => {
    clearTimeout(timer);
    timer = setTimeout(run, 180);
  });
  // Enter in the field: results are already there; keep the page, update at once.
  input.form.addEventListener("submit", (e) => {
    e.preventDefault();
    clearTimeout(timer);
    run();
  });

  // Arrow keys move between result titles; Escape goes back to the field.
  const links = () => Array.from(box.querySelectorAll(".results h2 a"));
  function move(e) {
    const all = links();
    if (!all.length) return;
    const i = all.indexOf(document.activeElement);
    if (e.key === "ArrowDown") {
      e.preventDefault();
      all[Math.min(i + 1, all.length - 1)].focus();
    } else if (e.key === "ArrowUp" && i >= 0) {
      e.preventDefault();
      (i === 0 ? input : all[i - 1]).focus();
    } else if (e.key === "Escape" && i >= 0) {
      input.focus();
    }
  }
  input.addEventListener("keydown", (e) => { if (e.key === "ArrowDown") move(e); });
  box.addEventListener("keydown", move);
})();
