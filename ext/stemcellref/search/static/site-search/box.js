// Loaded on every page, so kept tiny: the "/" and Ctrl/Cmd-K shortcuts, and results as you type
// in the sidebar box. The search code (core.js) and Pagefind load only when a reader searches.
(() => {
  "use strict";
  const form = document.getElementById("sidebar-search-form");
  const input = document.getElementById("sidebar-search-input");
  const page = document.getElementById("site-search");
  let core = null;
  const loadCore = () => {
    const src = (form ?? page)?.dataset.core;
    core ??= import(new URL(src, document.baseURI).href);
    return core;
  };
  const editable = (el) =>
    el instanceof HTMLElement && (el.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(el.tagName));

  const focusSearch = () => {
    const box = document.getElementById("site-search-input") ?? input;
    if (!box) return;
    if (!box.getClientRects().length) {
      // The sidebar is a closed drawer on small screens: open it (furo's own toggle).
      const drawer = document.getElementById("__navigation");
      if (drawer) drawer.checked = true;
    }
    box.focus();
    box.select();
  };

  // Capture phase, so Sphinx's own "/" handler does not also run.
  window.addEventListener(
    "keydown",
    (event) => {
      const modK = event.key.toLowerCase() === "k" && (event.ctrlKey || event.metaKey) && !event.altKey;
      const slash = event.key === "/" && !event.ctrlKey && !event.metaKey && !event.altKey;
      if (!modK && !(slash && !editable(event.target))) return;
      event.preventDefault();
      event.stopImmediatePropagation();
      focusSearch();
    },
    true,
  );

  if (form && input) {
    const start = () => loadCore().then((m) => m.attachPanel(form, input));
    input.addEventListener("focus", start, { once: true });
    input.addEventListener("input", start, { once: true });
  }
  if (page) loadCore().then((m) => m.attachPage());
})();
