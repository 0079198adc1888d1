/* plangen's search box (generator/search.py): puts the box of the page's <template> into
   Material's header and asks Pagefind, whose index the build wrote into pagefind/. Pagefind
   is loaded when the box is first opened, and a search fetches only what it needs.
   Results are made of text nodes: nothing a plan says becomes markup here. */
(() => {
  "use strict";
  const template = document.getElementById("__plangen-search");
  const header = document.querySelector(".md-header__inner");
  const toggle = document.getElementById("__search");
  if (!template || !header || !toggle) return;
  header.insertBefore(template.content.cloneNode(true), header.querySelector(".md-header__source"));

  const config = JSON.parse(document.getElementById("__config").textContent);
  const say = config.translations; // Material's words, in the site's language
  const root = new URL(`${config.base || "."}/`, location.href);
  const form = header.querySelector(".md-search__form");
  const input = form.querySelector(".md-search__input");
  const meta = header.querySelector(".md-search-result__meta");
  const list = header.querySelector(".md-search-result__list");
  const scroll = header.querySelector(".md-search__scrollwrap");
  const PAGE = 10;

  // One index for all pages, in Chinese words (generator/search.py), so the box splits a
  // query into words as Chinese whatever the page's language. The browser's dictionary is
  // not the index's (jieba's): it splits some words the index keeps whole (宽带 into 宽 and
  // 带), so characters it left alone side by side are also tried as one word, and the
  // results of both are shown.
  const segmenter = "Segmenter" in Intl ? new Intl.Segmenter("zh", { granularity: "word" }) : null;
  const han = /^\p{Script=Han}$/u;
  const readings = (text) => {
    const words = segmenter ? Array.from(segmenter.segment(text), (s) => s.segment) : [text];
    const joined = [];
    words.forEach((word, n) => {
      if (n > 0 && han.test(word) && han.test(words[n - 1])) joined[joined.length - 1] += word;
      else joined.push(word);
    });
    return [...new Set([words.join(" "), joined.join(" ")])];
  };

  // Pagefind splits a query again in the language of the page (from <html lang>) when it
  // starts: it starts while the page names none, so that the box's words reach the index.
  let pagefind = null;
  const load = () => {
    pagefind ||= import(new URL("pagefind/pagefind.js", root).href).then(async (module) => {
      await module.options({ baseUrl: root.pathname, noWorker: true });
      const page = document.documentElement.lang;
      document.documentElement.lang = "und";
      const started = module.init();
      document.documentElement.lang = page;
      await started;
      return module;
    });
    return pagefind;
  };

  const element = (name, className, text) => {
    const made = document.createElement(name);
    if (className) made.className = className;
    if (text !== undefined) made.textContent = text;
    return made;
  };

  // Pagefind's excerpt is the page's text, its < and > written &lt; and &gt;, with the
  // words found in <mark>: it is split there, never parsed as HTML.
  const excerpt = (marked) =>
    marked.split(/(<mark>[^<]*<\/mark>)/).map((part) => {
      const text = part.replace(/^<mark>|<\/mark>$/g, "").replace(/&lt;/g, "<").replace(/&gt;/g, ">");
      return part.startsWith("<mark>") ? element("mark", "", text) : document.createTextNode(text);
    });

  const item = (data) => {
    const link = element("a", "md-search-result__link");
    link.href = data.url;
    link.tabIndex = -1;
    const article = element("article", "md-search-result__article md-search-result__article--document md-typeset");
    const text = element("p");
    text.append(...excerpt(data.excerpt));
    article.append(element("div", "md-search-result__icon md-icon"), element("h1", "", data.meta.title || data.url), text);
    link.append(article);
    const entry = element("li", "md-search-result__item");
    entry.append(link);
    return entry;
  };

  let asked = 0;
  let results = [];
  let shown = 0;
  const more = async (ask) => {
    const batch = results.slice(shown, shown + PAGE).map((result) => result.data()); // fetched side by side
    shown += batch.length;
    for (const data of batch) {
      const found = await data; // and shown in order, each as soon as it is there
      if (ask !== asked) return;
      list.append(item(found));
    }
  };

  const search = async () => {
    const ask = ++asked;
    const query = input.value.trim();
    if (!query) {
      meta.textContent = say["search.result.placeholder"];
      list.replaceChildren();
      return;
    }
    const module = await load();
    const found = await Promise.all(readings(query).map((reading) => module.search(reading)));
    if (ask !== asked) return; // a newer query overtook this one
    const best = new Map();
    for (const result of found.flatMap((each) => each?.results ?? [])) {
      if (!(best.get(result.id)?.score >= result.score)) best.set(result.id, result);
    }
    results = [...best.values()].sort((a, b) => b.score - a.score);
    shown = 0;
    list.replaceChildren();
    const count = results.length;
    meta.textContent =
      count === 0 ? say["search.result.none"]
      : count === 1 ? say["search.result.one"]
      : say["search.result.other"].replace("#", count.toLocaleString());
    await more(ask);
  };

  // Text arrives by keys, by paste, or from an input method (a phone's, or Chinese
  // pinyin) that fires no key events: every change of the value counts, but not the
  // letters an input method shows before the reader picks the characters.
  let timer = 0;
  const soon = () => {
    clearTimeout(timer);
    timer = setTimeout(search, 60);
  };
  input.addEventListener("input", (event) => event.isComposing || soon());
  input.addEventListener("compositionend", soon);
  form.addEventListener("reset", () => setTimeout(() => (search(), input.focus())));
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const first = list.querySelector("a");
    if (first) location.href = first.href;
  });
  scroll.addEventListener("scroll", () => {
    if (shown < results.length && scroll.scrollTop + scroll.clientHeight > scroll.scrollHeight - 200) more(asked);
  });

  const open = () => {
    toggle.checked = true;
    input.focus();
    load();
  };
  input.addEventListener("focus", () => (toggle.checked || open()));
  toggle.addEventListener("change", () => (toggle.checked ? open() : input.blur()));
  document.addEventListener("keydown", (event) => {
    const typing = event.target instanceof HTMLElement && event.target.closest("input, textarea, select, [contenteditable]");
    const links = Array.from(list.querySelectorAll("a"));
    const at = links.indexOf(document.activeElement);
    if (toggle.checked && event.key === "Escape") {
      toggle.checked = false;
      input.blur();
    } else if (toggle.checked && (event.key === "ArrowDown" || event.key === "ArrowUp") && links.length) {
      event.preventDefault();
      const next = event.key === "ArrowDown" ? Math.min(at + 1, links.length - 1) : at - 1;
      (next < 0 ? input : links[next]).focus();
    } else if (!toggle.checked && !typing && ["/", "s", "f"].includes(event.key) && !event.ctrlKey && !event.metaKey && !event.altKey) {
      event.preventDefault();
      open();
    }
  });
})();
