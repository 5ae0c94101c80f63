/* lawguide: search that costs nothing until it is used (issue 31). This is the small part every page
 * loads; what search does once it is used is in lawguide-search-engine.js, fetched when the reader
 * starts a search.
 *
 * Loaded in <head> before Material's bundle (mkdocs.yml extra.polyfills), with no inline script.
 * Material for MkDocs (9.x) starts its search worker and downloads the whole search index on every
 * page load, paid by a parent on a phone who never searches. So, from the start, this part holds:
 *  - Material's request for search_index.json (it asks for the titles-only index of the page's
 *    language instead: render/search.py writes search_index[.LANG].titles.json beside each index);
 *  - Material's search worker: a stand-in with the Worker interface keeps Material's listeners and
 *    messages.
 * When the reader focuses, touches or types in the search box (or opens search with a key), the index
 * request is sent and lawguide-search-engine.js is fetched, both at once; when the engine has run, it
 * takes the messages held (the queries typed meanwhile, in order) and answers them. A page opened from
 * a search result (?h=, Material's highlighting) starts search at once, as before.
 * Everything else passes through untouched. Without this script (or without Worker), Material's own
 * search runs as it ships.
 */
(function () {
  "use strict";
  var RealWorker = window.Worker;
  var xhr = window.XMLHttpRequest && window.XMLHttpRequest.prototype;
  var script = document.currentScript;
  if (!RealWorker || !xhr || !script || !script.src) return;
  // Beside this file, so the site works from any folder it is served from.
  var ENGINE = new URL("lawguide-search-engine.js", script.src).href;
  var INDEX = /\/search\/search_index\.json(\?|$)/;
  var WORKER = /\/workers\/search\.[0-9a-f]+\.min\.js(\?|$)/;
  // The page's language: English pages (and Easy Read) search the English index.
  var LANG = String(document.documentElement.getAttribute("lang") || "en");
  var OWN = !/^en(-|$)/i.test(LANG) && /^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$/.test(LANG);

  // What the engine needs from this part (lawguide-search-engine.js reads it once, when it runs).
  var shared = {
    lang: LANG,
    own: OWN,
    Worker: RealWorker,
    open: xhr.open,  // the browser's own, to fetch an index past the hold below
    send: xhr.send,
    indexUrls: null,  // {whole, english}: the whole index of the page's language, the English titles
    engine: null,  // set by the engine: engine(url, options, deliver) -> {post, terminate}
    ready: function (engine) {
      shared.engine = engine;
      waiting.splice(0).forEach(function (go) { go(); });
    }
  };
  window.lawguideSearch = shared;

  var started = false;
  var held = [];  // index requests Material sent before the first search
  var waiting = [];  // stand-in workers waiting for the engine
  function start() {
    if (started) return;
    started = true;
    held.splice(0).forEach(function (go) { go(); });
    var tag = document.createElement("script");
    tag.src = ENGINE;
    // Offline when the reader started: the next focus or key tries again.
    tag.addEventListener("error", function () { started = false; tag.remove(); });
    (document.head || document.documentElement).appendChild(tag);
  }
  function whenEngine(go) {
    if (shared.engine) go(); else waiting.push(go);
  }

  // The index request: Material asks with XMLHttpRequest; send() waits for the first search.
  xhr.open = function (method, url) {
    this.lawguideSearchIndex = INDEX.test(String(url));
    if (!this.lawguideSearchIndex) return shared.open.apply(this, arguments);
    var args = Array.prototype.slice.call(arguments);
    var stem = "search_index" + (OWN ? "." + LANG : "");
    var english = String(url);
    shared.indexUrls = { whole: english.replace(/search_index\.json/, stem + ".json"),
                         english: english.replace(/search_index\.json/, "search_index.titles.json") };
    args[1] = english.replace(/search_index\.json/, stem + ".titles.json");
    return shared.open.apply(this, args);
  };
  xhr.send = function () {
    var request = this;
    var args = arguments;
    if (!request.lawguideSearchIndex || started) return shared.send.apply(request, args);
    held.push(function () { shared.send.apply(request, args); });
  };

  // The worker Material makes: the same interface as a Worker. Its messages are kept, in order, until
  // the engine has run; then the engine answers them and every later one.
  function LazyWorker(url, options) {
    if (!WORKER.test(String(url))) return new RealWorker(url, options);
    var listeners = [];
    var kept = [];
    var real = null;
    var ended = false;
    var stand = {
      addEventListener: function (type, fn) { listeners.push([type, fn]); },
      removeEventListener: function (type, fn) {
        listeners = listeners.filter(function (l) { return l[0] !== type || l[1] !== fn; });
      },
      postMessage: function (message) {
        if (real) real.post(message); else kept.push(message);
      },
      terminate: function () {
        ended = true;
        if (real) real.terminate();
        kept = [];
        listeners = [];
      },
      onmessage: null,
      onerror: null
    };
    function deliver(type, event) {
      listeners.forEach(function (l) { if (l[0] === type) l[1].call(stand, event); });
      var handler = type === "message" ? stand.onmessage : stand.onerror;
      if (handler) handler.call(stand, event);
    }
    whenEngine(function () {
      if (ended) return;
      real = shared.engine(url, options, deliver);
      kept.splice(0).forEach(function (message) { real.post(message); });
    });
    return stand;
  }
  LazyWorker.prototype = RealWorker.prototype;
  window.Worker = LazyWorker;

  // What counts as starting a search: the search box gets focus or a key, the search button is
  // touched (a phone's first tap: the index and the engine are on their way while the box opens),
  // or search opens.
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
})();
