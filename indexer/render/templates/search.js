// Search as you type. On the server-rendered /search page (which loads this script) results
// replace the page's own; in the header box of any other page (search_loader.js fetches this
// script on first focus) they open in a panel under the box. Without this script the forms and
// links work as they are. Results come from /api/search with the last word as a prefix.
(() => {
  "use strict";
  if (!window.fetch || !window.history) return;
  const esc = (s) => String(s).replace(/[&<>"']/g, (c) => "&#" + c.charCodeAt(0) + ";");
  const form = (s) => encodeURIComponent(s).replace(/%20/g, "+");
  const url = (q, lab) => "/search?q=" + form(q) + (lab ? "&label=" + form(lab) : "");
  const berichten = (n) => n + (n === 1 ? " bericht" : " berichten");
  const maanden = "januari februari maart april mei juni juli augustus september oktober november december".split(" ");
  const datum = (d) => /^\d{4}-\d\d-\d\d/.test(d) && maanden[d.slice(5, 7) - 1]
    ? +d.slice(8, 10) + " " + maanden[d.slice(5, 7) - 1] + " " + d.slice(0, 4) : d;

  // Arrow keys move between the links of `box`; Up from the first goes back to `input`.
  function arrows(input, box, selector) {
    const move = (e) => {
      const all = Array.from(box.querySelectorAll(selector));
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
    };
    input.addEventListener("keydown", (e) => { if (e.key === "ArrowDown") move(e); });
    box.addEventListener("keydown", move);
  }

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

  // The /search page: results replace the page's, and the address follows the query so it can
  // be shared and cached.
  function page(input, box) {
    const hint = document.getElementById("zoekhulp");
    if (hint) hint.classList.add("on");
    const label = () => new URLSearchParams(location.search).get("label") || "";
    let timer = 0, pending = null, last = input.value.trim();

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
    arrows(input, box, ".results h2 a");
  }

  // The header box on any page: the first few results in a panel under the box, a link to all
  // of them; Enter still opens /search. Escape or leaving the form closes the panel.
  function header(input) {
    const panel = document.createElement("div");
    panel.id = "zoekpaneel";
    panel.className = "search-panel";
    panel.hidden = true;
    input.form.appendChild(panel);
    input.setAttribute("aria-controls", panel.id);
    let timer = 0, pending = null, last = "";
    const close = () => { panel.hidden = true; };

    async function run() {
      const q = input.value.trim();
      if (q === last) return;
      last = q;
      if (pending) pending.abort();
      if (!q) return close();
      pending = new AbortController();
      let h;
      try {
        const r = await fetch("/api/search?q=" + form(q) + "&prefix=1&per_page=5",
          { signal: pending.signal, headers: { Accept: "application/json" } });
        const d = await r.json();
        if (!r.ok) h = '<p role="status">' + esc(d.error || "Zoeken lukt nu niet.") + "</p>";
        else if (!d.total) h = '<p role="status">Geen berichten gevonden voor <strong>' + esc(q) + "</strong>.</p>";
        else {
          h = '<p role="status">' + berichten(d.total) + " gevonden voor <strong>" + esc(q) + "</strong>.</p><ol>";
          for (const r of d.results)
            h += '<li><a href="' + esc(r.url + (r.anchor ? "#" + r.anchor : "")) + '">' + esc(r.title) +
              '</a> <time datetime="' + esc(r.date) + '">' + esc(datum(r.date)) + "</time></li>";
          h += '</ol><p class="all"><a href="' + esc(url(q, "")) + '">Alle resultaten</a></p>';
        }
      } catch (e) {
        if (e.name === "AbortError") return;
        h = '<p role="status">Zoeken lukt nu niet; probeer het zo nog eens.</p>';
      }
      panel.innerHTML = h;
      panel.hidden = false;
    }

    input.addEventListener("input", () => {
      clearTimeout(timer);
      timer = setTimeout(run, 180);
    });
    input.addEventListener("focus", () => { if (last && input.value.trim() === last) panel.hidden = false; });
    input.form.addEventListener("keydown", (e) => {
      if (e.key === "Escape" && !panel.hidden) {
        e.preventDefault(); // the first Escape closes the panel, a second clears the box
        close();
        input.focus();
      }
    });
    input.form.addEventListener("focusout", (e) => {
      if (!input.form.contains(e.relatedTarget)) close();
    });
    arrows(input, panel, "a");
    if (input.value.trim()) run(); // typed before this script arrived
  }

  const onPage = document.getElementById("zoekopdracht"), box = document.getElementById("resultaten");
  if (onPage && box) page(onPage, box);
  const inHeader = document.getElementById("zoekveld");
  if (inHeader && inHeader.form && !onPage) header(inHeader);
})();
