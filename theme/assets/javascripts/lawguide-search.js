/* lawguide: search that costs nothing until it is used, and never ends in an empty box (issue 31).
 *
 * Loaded in <head> before Material's bundle (mkdocs.yml extra.polyfills), with no inline script.
 *
 * 1. On demand. Material for MkDocs (9.x) starts its search worker and downloads the whole search
 *    index on every page load (about 150 KB gzip for the guide today, 2 MB at 1,000 pages), paid by a
 *    parent on a phone who never searches. Two things wait until the reader focuses, touches or types
 *    in the search box (or opens search with a key): the search worker (a stand-in with the Worker
 *    interface keeps Material's listeners and messages until then) and the request for
 *    search_index.json. Everything else passes through untouched. A page opened from a search result
 *    (?h=, Material's highlighting) starts search at once, as before.
 * 2. Try again. Material's search matches any word of the query (lunr's OR), so a search finds
 *    nothing only when no word is in the guide: usually a misspelling ("assesment"). It is asked
 *    again once with each long word allowed one wrong letter, and those results are shown instead.
 * 3. Headings first. Material ranks a whole page above its own sections, so a page that merely
 *    mentions "family" and "help" came before the section "What is Family Help?". Pages with a
 *    heading (or title) holding every word of the query now come first, the tightest heading
 *    first ("What is Family Help?" before a long question that also says "family help"). The words
 *    a page is also searched as (glossary/search-synonyms.yml) count as its headings.
 * 4. Routes, not an empty box. When nothing matches even then, the parents' routes are offered
 *    under "No matching documents": the route finder and the helplines.
 */
(function () {
  "use strict";
  var RealWorker = window.Worker;
  var xhr = window.XMLHttpRequest && window.XMLHttpRequest.prototype;
  if (!RealWorker || !xhr) return;

  var started = false;
  var waiting = [];
  function start() {
    if (started) return;
    started = true;
    waiting.splice(0).forEach(function (go) { go(); });
  }
  function later(go) {
    if (started) go(); else waiting.push(go);
  }
  var INDEX = /\/search\/search_index\.json(\?|$)/;
  var WORKER = /\/workers\/search\.[0-9a-f]+\.min\.js(\?|$)/;
  var QUERY = 2;  // Material's worker messages: 2 a query, 3 its result
  var RESULT = 3;

  // The index request: Material asks with XMLHttpRequest; send() waits for the first search.
  var open = xhr.open;
  var send = xhr.send;
  xhr.open = function (method, url) {
    this.lawguideSearchIndex = INDEX.test(String(url));
    return open.apply(this, arguments);
  };
  xhr.send = function () {
    var request = this;
    var args = arguments;
    if (!request.lawguideSearchIndex || started) return send.apply(request, args);
    later(function () { send.apply(request, args); });
  };

  // "assesment" -> "assesment~1": words of five letters or more may have one letter wrong.
  // Words with lunr's own syntax (+, -, ~, ^, *, :) are left as the reader typed them.
  function forgiving(query) {
    var changed = false;
    var words = String(query).split(/\s+/).map(function (word) {
      if (word.length < 5 || /[+\-~^*:]/.test(word)) return word;
      changed = true;
      return word + "~1";
    });
    return changed ? words.join(" ") : null;
  }

  // Words of the query that a heading must hold: not the little words. As in search itself, a word
  // of one or two letters ("H" in "section H", "PA") matches a whole word, a longer one the start.
  var LITTLE = /^(a|an|as|at|be|by|do|i|i'm|im|i've|i'd|if|in|is|it|me|my|no|of|on|or|so|to|up|us|we|he|the|and|for|are|can|how|what|when|who|why|does|with|you|your|our|his|her|him|she|they|them|this|that|not|get|got|from|into|about|will|have|has|had|was|were|its|any|all|but|out)$/;
  function headingWords(query) {
    return String(query).toLowerCase().split(/[^a-z0-9']+/).filter(function (w) {
      return w && !LITTLE.test(w);
    });
  }
  // How tightly a title holds every word: the share of its words that are the query's (0: not all).
  function fit(title, words) {
    var have = String(title || "").replace(/<[^>]*>/g, " ").toLowerCase().split(/[^a-z0-9']+/)
      .filter(function (h) { return h; });
    var all = words.every(function (w) {
      return have.some(function (h) { return w.length < 3 ? h === w : h.lastIndexOf(w, 0) === 0; });
    });
    return all ? words.length / have.length : 0;
  }
  // The parents' words a page is also searched as (render/search.py adds "Also searched as: a, b."
  // to the page's own entry): each counts as a heading of that page.
  var ALSO = /Also searched as:([^<]*)/;
  function alsoSearchedAs(doc) {
    var found = ALSO.exec(String(doc.text || "").replace(/<\/?mark[^>]*>/g, ""));
    return found ? found[1].replace(/\.\s*$/, "").split(",") : [];
  }
  // Reference pages (law pages, the glossary, What's changed) keep the place Material gives them:
  // the index already ranks them below the guide, and their titles are names, not answers.
  var REFERENCE = /^(law|glossary|changes)\//;
  // Translated and Easy Read versions (docs/<two-letter language>/, docs/easy-read/) share the English
  // page's English names ("Family Help"): they keep the lower place the index gives them, so an English
  // query finds the English section first. In their own language only they have the words.
  var VERSION = /^([a-z]{2}|easy-read)\//;
  function headingsFirst(items, query) {
    var words = headingWords(query);
    if (!words.length || !items || items.length < 2) return items;
    var ranked = items.map(function (group, order) {
      var best = 0;
      if (Array.isArray(group)) {
        group.forEach(function (doc) {
          if (!doc || REFERENCE.test(String(doc.location)) || VERSION.test(String(doc.location))) return;
          [doc.title].concat(alsoSearchedAs(doc)).forEach(function (heading) {
            best = Math.max(best, fit(heading, words));
          });
        });
      }
      return { group: group, best: best, order: order };
    });
    ranked.sort(function (a, b) { return (b.best > 0) - (a.best > 0) || b.best - a.best || a.order - b.order; });
    return ranked.map(function (r) { return r.group; });
  }

  // The worker: the same interface as a Worker; the real one is made on the first search. Answers
  // pass through `answer`, which asks again when a query finds nothing.
  function LazyWorker(url, options) {
    if (!WORKER.test(String(url))) return new RealWorker(url, options);
    var real = null;
    var listeners = [];
    var outbox = [];
    var asked = [];  // what each answer the worker will send is for, in order: {retry, seq}
    var latest = 0;  // the newest query Material asked
    var stand = {
      addEventListener: function (type, fn) { listeners.push([type, fn]); },
      removeEventListener: function (type, fn) {
        listeners = listeners.filter(function (l) { return l[0] !== type || l[1] !== fn; });
      },
      postMessage: function (message, transfer) {
        if (message && message.type === QUERY) {
          latest += 1;
          asked.push({ retry: false, seq: latest, query: message.data });
        }
        if (real) real.postMessage(message, transfer); else outbox.push([message, transfer]);
      },
      terminate: function () {
        if (real) real.terminate();
        listeners = [];
        outbox = [];
      },
      onmessage: null,
      onerror: null
    };
    function deliver(type, event) {
      listeners.forEach(function (l) { if (l[0] === type) l[1].call(stand, event); });
      var handler = type === "message" ? stand.onmessage : stand.onerror;
      if (handler) handler.call(stand, event);
    }
    function answer(event) {
      var data = event.data;
      if (!data || data.type !== RESULT) return deliver("message", event);
      var was = asked.shift() || { retry: false, seq: latest };
      if (was.seq !== latest) return was.retry ? undefined : deliver("message", event);  // an old answer
      var items = data.data && data.data.items;
      if (items && items.length) data.data.items = headingsFirst(items, was.query);
      var again = !was.retry && items && items.length === 0 && forgiving(was.query);
      if (!again) return deliver("message", event);
      asked.push({ retry: true, seq: was.seq, query: again });
      real.postMessage({ type: QUERY, data: again });
    }
    later(function () {
      real = new RealWorker(url, options);
      real.addEventListener("message", answer);
      real.addEventListener("error", function (event) { deliver("error", event); });
      outbox.forEach(function (m) { real.postMessage(m[0], m[1]); });
      outbox = [];
    });
    return stand;
  }
  LazyWorker.prototype = RealWorker.prototype;
  window.Worker = LazyWorker;

  // What counts as starting a search: the search box gets focus or a key, the search button is
  // touched (a phone's first tap: the index is on its way while the box opens), or search opens.
  function isSearchBox(node) {
    return node && node.closest && node.closest(".md-search, label[for='__search']");
  }
  document.addEventListener("focusin", function (e) { if (isSearchBox(e.target)) start(); }, true);
  document.addEventListener("pointerdown", function (e) { if (isSearchBox(e.target)) start(); }, true);
  document.addEventListener("keydown", function (e) { if (isSearchBox(e.target)) start(); }, true);
  document.addEventListener("change", function (e) {
    if (e.target && e.target.id === "__search" && e.target.checked) start();
  }, true);
  if (/[?&]h=/.test(window.location.search)) start();

  // Routes instead of an empty box: under Material's "No matching documents".
  function config() {
    var node = document.getElementById("__config");
    try { return node ? JSON.parse(node.textContent) : null; } catch (err) { return null; }
  }
  function routes(base) {
    var box = document.createElement("div");
    box.className = "lg-search-routes";
    box.style.padding = "0 0.8rem 0.8rem";  // as Material's result meta above it
    box.style.fontSize = "0.8rem";
    var intro = document.createElement("p");
    intro.textContent = "Try one or two everyday words, such as \u201crespite\u201d or \u201ccomplain\u201d. Or:";
    var list = document.createElement("ul");
    [["finder/", "Answer a few questions to find the right page"],
     ["get-help/#free-advice", "Talk to someone: free helplines for parents"]].forEach(function (route) {
      var item = document.createElement("li");
      var link = document.createElement("a");
      link.href = new URL(route[0], base).href;
      link.textContent = route[1];
      item.appendChild(link);
      list.appendChild(item);
    });
    box.appendChild(intro);
    box.appendChild(list);
    return box;
  }
  function watchResults() {
    var cfg = config();
    var meta = document.querySelector(".md-search-result__meta");
    if (!cfg || !meta || !cfg.translations) return;
    var none = cfg.translations["search.result.none"];
    var base = new URL(cfg.base || ".", window.location.href);
    var box = routes(base);
    box.hidden = true;
    // After Material's result block, not inside it: its arrow keys walk every link inside it, and a
    // hidden link there would take the focus that belongs to the first result.
    var result = meta.closest(".md-search-result") || meta;
    result.parentNode.insertBefore(box, result.nextSibling);
    new MutationObserver(function () {
      box.hidden = meta.textContent.trim() !== none;
    }).observe(meta, { childList: true, characterData: true, subtree: true });
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", watchResults);
  else watchResults();
})();
