// Site search on Pagefind's low-level API (pagefind.js), loaded only when a reader searches.
//
// Pagefind ranks pages (BM25) and matches every query word (AND), with prefixes and phrases in
// "quotes". On top of that, this module:
// - expands a query with the glossary's aliases (HSCT = bone marrow transplant = ...) and
//   British/American spellings (synonyms.json, written by ext/site_search.py at build time),
//   runs one Pagefind search per variant and keeps each page's best score;
// - drops question words ("is", "for", ...) so questions find pages;
// - when fewer than three pages contain every word, adds pages that contain most of them, and
//   retries words with no match as shorter prefixes (simple typo tolerance);
// - renders results on the search page (#search-results) and in the sidebar panel.

const DEBOUNCE_MS = 40;
const PAGE_SIZE = 5;
const PANEL_SIZE = 5;
const MAX_VARIANTS = 10;
const ALIAS_WEIGHT = 0.9;
// The reader's American spelling, searched as typed: on this British site mostly the glossary
// has it, and a rare word scores high, so it counts for less than the British spelling.
const SPELLING_WEIGHT = 0.5;
// A page whose title is the query's words scores (1 + TITLE_BOOST) times higher.
const TITLE_BOOST = 1;
// Pagefind's ranking weights: a match in a page's title counts more than Pagefind's default.
const RANKING = { metaWeights: { title: 12 }, pageLength: 0.5 };
const STOP_WORDS = new Set(
  ("a about am an and any are as at be been being by can could did do does for from had has " +
    "have how i if in into is it its me my of on or our should so than that the their them " +
    "then there these they this those to versus vs was we were what when where which who whom " +
    "why will with would you your").split(" "),
);

// -- Words and query plans ----------------------------------------------------------------

const clean = (text) => text.normalize("NFC").toLowerCase().replace(/[\u2018\u2019]/g, "'");

/** Words as Pagefind sees them: split on spaces, hyphens and slashes; edge punctuation off. */
const words = (text) =>
  clean(text)
    .split(/[\s\-\u2010-\u2015/]+/)
    .map((w) => w.replace(/^[^\p{L}\p{N}]+|[^\p{L}\p{N}]+$/gu, ""))
    .filter(Boolean);

/** A crude singular form for matching aliases: "transplants" = "transplant", "parkinson's". */
const key = (word) => {
  const w = word.replace(/'s$/, "");
  return w.length > 3 && w.endsWith("s") && !w.endsWith("ss") ? w.slice(0, -1) : w;
};

export class Expander {
  constructor({ groups = [], spellings = [], titles = {} } = {}) {
    this.spellings = spellings; // [british stem, american stem]
    this.titles = titles; // Pagefind result id -> page title
    this.titleKeys = new Map();
    this.maxLength = 1;
    this.aliasGroup = new Map(); // alias key ("bone marrow transplant") -> group index
    this.groups = groups.map((group) => group.map((alias) => words(alias).map((w) => this.british(w))));
    this.groups.forEach((group, index) => {
      for (const tokens of group) {
        const k = tokens.map(key).join(" ");
        if (!this.aliasGroup.has(k)) this.aliasGroup.set(k, index);
        this.maxLength = Math.max(this.maxLength, tokens.length);
      }
    });
  }

  /**
   * How well a query matches the title of the page with this result id, from 0 to 1: the share
   * of the query's words in the title times the share of the title's words in the query, so
   * "stem cells" matches "What are stem cells?" better than "History of stem cell research".
   */
  titleOverlap(text, id) {
    if (!this.titleKeys.has(id)) {
      const title = words(this.titles[id] ?? "").filter((w) => !STOP_WORDS.has(w));
      this.titleKeys.set(id, new Set(title.map((w) => key(this.british(w)))));
    }
    const title = this.titleKeys.get(id);
    const query = new Set(words(text).map(key));
    if (!title.size || !query.size) return 0;
    const shared = [...query].filter((k) => title.has(k)).length;
    return (shared / query.size) * (shared / title.size);
  }

  british(word) {
    for (const [gb, us] of this.spellings) {
      if (word.startsWith(us) && !word.startsWith(gb)) return gb + word.slice(us.length);
    }
    return word;
  }

  /**
   * What to ask Pagefind for a reader's query: `variants` (query strings, each with a weight),
   * `segments` (each a list of alternative query strings, for the any-word fallback) and the
   * quoted `phrases`.
   */
  plan(query) {
    const phrases = [];
    const rest = clean(query).replace(/["\u201c\u201d]([^"\u201c\u201d]*)["\u201c\u201d]?/g, (_, p) => {
      const ws = words(p).map((w) => this.british(w));
      if (ws.length) phrases.push(`"${ws.join(" ")}"`);
      return " ";
    });
    const tokens = words(rest).map((original) => ({ original, word: this.british(original) }));
    const segments = [];
    for (let i = 0; i < tokens.length; ) {
      let hit = null;
      for (let n = Math.min(this.maxLength, tokens.length - i); n > 0 && !hit; n--) {
        const span = tokens.slice(i, i + n);
        const group = this.aliasGroup.get(span.map((t) => key(t.word)).join(" "));
        if (group !== undefined) hit = { group, tokens: span, n };
      }
      segments.push(hit ?? { tokens: [tokens[i]], n: 1 });
      i += hit ? hit.n : 1;
    }
    const meaningful = segments.filter((s) => s.group !== undefined || !STOP_WORDS.has(s.tokens[0].word));
    const kept = meaningful.length || phrases.length ? meaningful : segments;
    const content = (ws) => {
      const out = ws.filter((w) => !STOP_WORDS.has(w));
      return out.length ? out : ws;
    };
    const render = (choose) =>
      [...phrases, ...kept.flatMap((s) => content(choose(s)))].join(" ");

    const variants = new Map();
    const add = (text, weight) => {
      if (text && !variants.has(text)) variants.set(text, weight);
    };
    add(render((s) => s.tokens.map((t) => t.word)), 1);
    add(render((s) => s.tokens.map((t) => t.original)), SPELLING_WEIGHT);
    for (const seg of kept) {
      if (seg.group === undefined) continue;
      for (const alias of this.groups[seg.group]) {
        add(render((s) => (s === seg ? alias : s.tokens.map((t) => t.word))), ALIAS_WEIGHT);
      }
    }
    const alternatives = kept.map((s) => {
      const forms = s.group === undefined ? [s.tokens.map((t) => t.word)] : this.groups[s.group];
      return [...new Set(forms.map((f) => content(f).join(" ")))];
    });
    return {
      variants: [...variants].slice(0, MAX_VARIANTS).map(([text, weight]) => ({ text, weight })),
      segments: [...phrases.map((p) => [p]), ...alternatives],
      phrases,
    };
  }
}

// -- Searching ----------------------------------------------------------------------------

let engine = null;

/** Load Pagefind and the synonyms once; `bundle` is the absolute URL of the pagefind/ folder. */
export function loadEngine(bundle) {
  engine ??= (async () => {
    const [pagefind, synonyms] = await Promise.all([
      import(`${bundle}pagefind.js`),
      fetch(`${bundle}synonyms.json`)
        .then((r) => (r.ok ? r.json() : {}))
        .catch(() => ({})),
    ]);
    await pagefind.options({ noWorker: true, excerptLength: 24, ranking: RANKING });
    await pagefind.init();
    return { pagefind, expander: new Expander(synonyms) };
  })();
  return engine;
}

const termCount = (text) => Math.max(1, words(text).length);

/** Pagefind results for one query string; phrase queries ranked by their words' scores. */
async function scored(pagefind, text, filters) {
  const found = await pagefind.search(text, { filters });
  const results = found?.results ?? [];
  if (!text.includes('"')) return results.map((r) => ({ r, score: r.score }));
  // Pagefind gives every exact-phrase match the same score: rank them by the loose query.
  const loose = await pagefind.search(text.replaceAll('"', " "), { filters });
  const byId = new Map((loose?.results ?? []).map((r) => [r.id, r]));
  return results.map((r) => {
    const ranked = byId.get(r.id);
    return { r: ranked ?? r, score: ranked ? ranked.score : 0.01 };
  });
}

/** Shorter prefixes of a word that Pagefind may match despite a typo near its end. */
function prefixes(word) {
  const out = [];
  for (let n = word.length - 1; n >= Math.max(4, Math.ceil(word.length * 0.6)); n--) {
    out.push(word.slice(0, n));
  }
  return out;
}

/**
 * Ranked matches for a query: a list of `{r, score}` with Pagefind's result objects, best first.
 */
export async function search({ pagefind, expander }, query, filters = {}) {
  const plan = expander.plan(query);
  const active = Object.fromEntries(Object.entries(filters).filter(([, v]) => v));
  if (!plan.variants.length) {
    if (!Object.keys(active).length) return [];
    const all = await pagefind.search(null, { filters: active, sort: {} });
    return (all?.results ?? []).map((r) => ({ r, score: 0 }));
  }
  const best = new Map();
  const keep = (r, score) => {
    const prev = best.get(r.id);
    if (!prev || score > prev.score) best.set(r.id, { r, score });
  };
  const lists = await Promise.all(plan.variants.map((v) => scored(pagefind, v.text, active)));
  lists.forEach((list, i) => {
    const { text, weight } = plan.variants[i];
    for (const { r, score } of list) {
      const inTitle = 1 + TITLE_BOOST * expander.titleOverlap(text, r.id);
      keep(r, (weight * score * inTitle) / termCount(text));
    }
  });
  const ranked = [...best.values()].sort((a, b) => b.score - a.score);
  if (ranked.length >= 3 || plan.segments.length < 1) return ranked;

  // Few pages have every word: add pages by how many of the words (or aliases) they contain.
  const perSegment = await Promise.all(
    plan.segments.map(async (forms) => {
      let lists2 = await Promise.all(forms.map((f) => scored(pagefind, f, active)));
      if (lists2.every((l) => !l.length) && forms.length === 1 && !forms[0].includes(" ")) {
        for (const prefix of prefixes(forms[0])) {
          const list = await scored(pagefind, prefix, active);
          if (list.length) {
            lists2 = [list];
            break;
          }
        }
      }
      const pages = new Map();
      for (const { r, score } of lists2.flat()) {
        if (!pages.has(r.id) || pages.get(r.id).score < score) pages.set(r.id, { r, score });
      }
      return pages;
    }),
  );
  const partial = new Map();
  for (const pages of perSegment) {
    for (const [id, { r, score }] of pages) {
      if (best.has(id)) continue;
      const entry = partial.get(id) ?? { r, score: 0, count: 0 };
      entry.count += 1;
      entry.score += score;
      partial.set(id, entry);
    }
  }
  const rest = [...partial.values()].sort((a, b) => b.count - a.count || b.score - a.score);
  return [...ranked, ...rest];
}

// -- Rendering ----------------------------------------------------------------------------

/** Pagefind's excerpt as DOM: its text, with only <mark> kept (nothing else is trusted). */
function excerpt(html) {
  const template = document.createElement("template");
  template.innerHTML = html ?? "";
  const p = document.createElement("p");
  p.className = "site-search-result__excerpt";
  for (const node of template.content.childNodes) {
    if (node.nodeName === "MARK") {
      const mark = document.createElement("mark");
      mark.textContent = node.textContent;
      p.append(mark);
    } else {
      p.append(node.textContent);
    }
  }
  return p;
}

function resultItem(data, { option = false, subResults = 0 } = {}) {
  const li = document.createElement("li");
  li.className = "site-search-result";
  const link = document.createElement("a");
  link.className = "site-search-result__link";
  link.href = data.url;
  link.textContent = data.meta?.title || data.url;
  const head = document.createElement("div");
  head.className = "site-search-result__head";
  head.append(link);
  if (data.meta?.section) {
    const section = document.createElement("span");
    section.className = "site-search-result__section";
    section.textContent = data.meta.section;
    head.append(" ", section);
  }
  li.append(head, excerpt(data.excerpt));
  if (option) {
    li.setAttribute("role", "option");
    li.setAttribute("aria-selected", "false");
    link.tabIndex = -1;
  }
  const subs = (data.sub_results ?? [])
    .filter((s) => s.url !== data.url && s.url.includes("#"))
    .slice(0, subResults);
  if (subs.length) {
    const ul = document.createElement("ul");
    ul.className = "site-search-result__sections";
    ul.setAttribute("aria-label", `Sections of ${link.textContent}`);
    for (const sub of subs) {
      const a = document.createElement("a");
      a.href = sub.url;
      a.textContent = sub.title;
      const item = document.createElement("li");
      item.append(a);
      ul.append(item);
    }
    li.append(ul);
  }
  return li;
}

const plural = (n, word) => `${n} ${word}${n === 1 ? "" : "s"}`;

/**
 * Run `task(job)` for the latest job only: after `delay` ms of quiet, and never two at once
 * (a job that arrives while one runs waits for it, then runs with the newest input).
 */
function latestOnly(task, delay) {
  let timer = 0;
  let running = false;
  let pending = null;
  const pump = async () => {
    if (running || !pending) return;
    running = true;
    const job = pending;
    pending = null;
    try {
      await task(job);
    } finally {
      running = false;
      pump();
    }
  };
  return {
    later(job) {
      clearTimeout(timer);
      timer = setTimeout(() => {
        pending = job;
        pump();
      }, delay);
    },
    now(job) {
      clearTimeout(timer);
      pending = job;
      pump();
    },
  };
}

const bundleOf = (el) => new URL(el.dataset.bundle, document.baseURI).href;

/** Record how long the reader waited: from the last keystroke (or page load) to results. */
function stamp(el, query, t0) {
  const ms = performance.now() - t0;
  el.dataset.searchQuery = query;
  el.dataset.searchMs = ms.toFixed(1);
  el.dataset.state = "done";
  el.removeAttribute("aria-busy");
  try {
    performance.measure("site-search", { start: t0, end: t0 + ms });
  } catch {
    // older browsers: the data attributes are enough
  }
}

// -- The search page ----------------------------------------------------------------------

export function attachPage() {
  const root = document.getElementById("site-search");
  if (!root || root.dataset.ready) return;
  root.dataset.ready = "true";
  const form = document.getElementById("site-search-form");
  const input = document.getElementById("site-search-input");
  const status = document.getElementById("search-status");
  const results = document.getElementById("search-results");
  const selects = {
    section: document.getElementById("site-search-section"),
    evidence: document.getElementById("site-search-evidence"),
    certainty: document.getElementById("site-search-certainty"),
  };
  const bundle = bundleOf(results);
  form.hidden = false;

  const params = new URLSearchParams(location.search);
  input.value = params.get("q") ?? "";
  for (const [name, select] of Object.entries(selects)) {
    const value = params.get(name) ?? "";
    if (value && ![...select.options].some((o) => o.value === value)) select.add(new Option(value, value));
    select.value = value;
  }
  const filters = () => Object.fromEntries(Object.entries(selects).map(([k, s]) => [k, s.value]));

  /** Keep the query and filters in the address, so results can be shared and bookmarked. */
  const syncUrl = (push) => {
    const next = new URLSearchParams();
    if (input.value.trim()) next.set("q", input.value.trim());
    for (const [k, v] of Object.entries(filters())) if (v) next.set(k, v);
    const url = `${location.pathname}${next.size ? `?${next}` : ""}${location.hash}`;
    if (url !== `${location.pathname}${location.search}${location.hash}`) {
      history[push ? "pushState" : "replaceState"](null, "", url);
    }
  };

  let found = [];
  let shown = 0;
  const list = document.createElement("ol");
  list.className = "site-search-results__list";
  const more = document.createElement("button");
  more.type = "button";
  more.className = "site-search-results__more";

  const showMore = async (count) => {
    const batch = found.slice(shown, shown + count);
    const data = await Promise.all(batch.map(({ r }) => r.data()));
    for (const d of data) list.append(resultItem(d, { subResults: 3 }));
    shown += batch.length;
    more.hidden = shown >= found.length;
    more.textContent = `Show more results (${found.length - shown} more)`;
  };
  more.addEventListener("click", async () => {
    const first = shown;
    await showMore(PAGE_SIZE);
    list.children[first]?.querySelector("a")?.focus();
  });

  const runner = latestOnly(async ({ t0 }) => {
    const query = input.value.trim();
    const active = filters();
    results.dataset.state = "searching";
    results.setAttribute("aria-busy", "true");
    if (!query && !Object.values(active).some(Boolean)) {
      found = [];
      shown = 0;
      list.replaceChildren();
      results.replaceChildren();
      status.textContent = "";
      stamp(results, "", t0);
      return;
    }
    let eng;
    try {
      eng = await loadEngine(bundle);
    } catch (error) {
      status.textContent = "Sorry, search could not be loaded. Try reloading the page.";
      results.dataset.state = "error";
      throw error;
    }
    found = await search(eng, query, active);
    shown = 0;
    list.replaceChildren();
    await showMore(PAGE_SIZE);
    results.replaceChildren(...(found.length ? [list, more] : []));
    const where =
      (active.section ? ` in ${active.section}` : "") +
      (active.evidence ? ` with status ${active.evidence}` : "") +
      (active.certainty ? ` with ${active.certainty.toLowerCase()} certainty of evidence` : "");
    const what = query ? ` for “${query}”` : "";
    status.textContent = found.length
      ? `${plural(found.length, "result")}${what}${where}.`
      : `No results${what}${where}. Try fewer or different words, or look in the glossary.`;
    stamp(results, query, t0);
  }, DEBOUNCE_MS);

  input.addEventListener("input", () => {
    syncUrl(false);
    runner.later({ t0: performance.now() });
  });
  for (const select of Object.values(selects)) {
    select.addEventListener("change", () => {
      syncUrl(true);
      runner.now({ t0: performance.now() });
    });
  }
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    syncUrl(true);
    runner.now({ t0: performance.now() });
  });
  input.addEventListener("keydown", (event) => {
    if (event.key === "ArrowDown" && list.firstElementChild) {
      event.preventDefault();
      list.querySelector("a")?.focus();
    } else if (event.key === "Escape" && input.value) {
      event.preventDefault();
      input.value = "";
      syncUrl(false);
      runner.now({ t0: performance.now() });
    }
  });
  // Arrow keys move between result links; Escape returns to the search box.
  results.addEventListener("keydown", (event) => {
    const links = [...list.querySelectorAll(".site-search-result__link")];
    const at = links.indexOf(document.activeElement);
    if (event.key === "Escape") {
      event.preventDefault();
      input.focus();
    } else if (at >= 0 && (event.key === "ArrowDown" || event.key === "ArrowUp")) {
      event.preventDefault();
      const next = at + (event.key === "ArrowDown" ? 1 : -1);
      (next < 0 ? input : links[Math.min(next, links.length - 1)]).focus();
    }
  });
  window.addEventListener("popstate", () => location.reload());

  if (input.value || Object.values(filters()).some(Boolean)) {
    runner.now({ t0: 0 }); // from navigation start: a shared or bookmarked search
  } else {
    stamp(results, "", 0);
    input.focus();
  }
}

// -- The sidebar box ----------------------------------------------------------------------

export function attachPanel(form, input) {
  if (form.dataset.ready) return;
  form.dataset.ready = "true";
  const panel = document.getElementById("sidebar-search-panel");
  const listbox = document.getElementById("sidebar-search-listbox");
  const status = document.getElementById("sidebar-search-status");
  const all = document.getElementById("sidebar-search-all");
  const bundle = bundleOf(form);
  loadEngine(bundle).catch(() => {}); // start downloading while the reader types
  let active = -1;

  const options = () => [...listbox.querySelectorAll('[role="option"]')];
  const setActive = (index) => {
    const opts = options();
    active = opts.length ? Math.max(-1, Math.min(index, opts.length - 1)) : -1;
    opts.forEach((o, i) => o.setAttribute("aria-selected", String(i === active)));
    if (active >= 0) {
      input.setAttribute("aria-activedescendant", opts[active].id);
      opts[active].scrollIntoView({ block: "nearest" });
    } else {
      input.removeAttribute("aria-activedescendant");
    }
  };
  const open = () => {
    panel.hidden = false;
    input.setAttribute("aria-expanded", "true");
  };
  const close = () => {
    panel.hidden = true;
    input.setAttribute("aria-expanded", "false");
    setActive(-1);
  };

  const runner = latestOnly(async ({ t0 }) => {
    const query = input.value.trim();
    if (!query) {
      listbox.replaceChildren();
      status.textContent = "";
      close();
      return;
    }
    panel.setAttribute("aria-busy", "true");
    const found = await search(await loadEngine(bundle), query);
    if (input.value.trim() !== query) return; // the reader typed on: a newer search follows
    const data = await Promise.all(found.slice(0, PANEL_SIZE).map(({ r }) => r.data()));
    listbox.replaceChildren(
      ...data.map((d, i) => {
        const item = resultItem(d, { option: true });
        item.id = `sidebar-search-option-${i}`;
        return item;
      }),
    );
    setActive(-1);
    const url = new URL(form.action, document.baseURI);
    url.search = new URLSearchParams({ q: query }).toString();
    all.href = url.href;
    all.textContent = found.length ? `See all ${plural(found.length, "result")}` : "Open the search page";
    status.textContent = found.length
      ? `${plural(found.length, "result")} for “${query}”. Use the up and down arrow keys to choose one.`
      : `No results for “${query}”.`;
    open();
    stamp(panel, query, t0);
  }, DEBOUNCE_MS);

  input.addEventListener("input", () => runner.later({ t0: performance.now() }));
  input.addEventListener("keydown", (event) => {
    const count = options().length;
    if (event.key === "ArrowDown" || event.key === "ArrowUp") {
      if (!count) return;
      event.preventDefault();
      open();
      if (event.key === "ArrowDown") setActive((active + 1) % count);
      else setActive(active <= 0 ? count - 1 : active - 1);
    } else if (event.key === "Enter" && active >= 0 && !panel.hidden) {
      event.preventDefault();
      location.href = options()[active].querySelector("a").href;
    } else if (event.key === "Escape") {
      if (!panel.hidden) {
        event.preventDefault();
        close();
      } else if (input.value) {
        event.preventDefault();
        input.value = "";
        runner.now({ t0: performance.now() });
      }
    }
  });
  panel.addEventListener("keydown", (event) => {
    if (event.key === "Escape") {
      event.preventDefault();
      close();
      input.focus();
    }
  });
  // Close when focus leaves both the box and the panel; reopen on return.
  const inside = (el) => el && (form.contains(el) || panel.contains(el));
  for (const el of [form, panel]) {
    el.addEventListener("focusout", (event) => {
      if (!inside(event.relatedTarget)) close();
    });
  }
  input.addEventListener("focus", () => {
    if (input.value.trim() && options().length) open();
  });
  if (input.value.trim()) runner.now({ t0: performance.now() });
}
