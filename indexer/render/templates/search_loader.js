// All a page carries for search as you type: when the reader first focuses or types in the
// header box, fetch the search script (named by data-search, fingerprinted) once.
(() => {
  "use strict";
  const field = document.getElementById("zoekveld");
  const src = document.currentScript && document.currentScript.dataset.search;
  if (!field || !src) return;
  const load = () => {
    field.removeEventListener("focus", load);
    field.removeEventListener("input", load);
    if (document.querySelector('script[src="' + src + '"]')) return; // the search page has it
    const s = document.createElement("script");
    s.src = src;
    document.head.appendChild(s);
  };
  field.addEventListener("focus", load);
  field.addEventListener("input", load);
  if (document.activeElement === field) load();
})();
