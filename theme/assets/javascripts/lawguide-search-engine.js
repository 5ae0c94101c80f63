/* lawguide: what search does once the reader starts a search (issue 31). Fetched then by
 * lawguide-search.js, the small part every page loads, which holds Material's search worker and index
 * request until this has run (and says so in its comments).
 *
 * 1. Try again. Material's search matches any word of the query (lunr's OR), so a search finds
 *    nothing only when no word is in the guide: usually a misspelling ("assesment"). It is asked
 *    again once with each long word allowed one wrong letter, and those results are shown instead.
 * 2. Headings first. Material ranks a whole page above its own sections, so a page that merely
 *    mentions "family" and "help" came before the section "What is Family Help?". Pages with a
 *    heading (or title) holding every word of the query now come first, the tightest heading
 *    first ("What is Family Help?" before a long question that also says "family help"). The words
 *    a page is also searched as (glossary/search-synonyms.yml) count as its headings.
 * 3. Routes, not an empty box. When nothing matches even then, the parents' routes are offered
 *    under "No matching documents": the route finder and the helplines. Their words are in the page's
 *    language where glossary/ui-strings.yml has them (search_try, search_finder, search_talk, carried in
 *    the index's config), else English, marked English; the pages they link are English, and the words say so.
 * 4. One index per language. On a page whose <html lang> is not English, the index asked for is that
 *    language's own (search/search_index.pl.json, written by render/search.py), so only its pages are
 *    fetched and indexed. When it finds fewer than three pages, the English titles are asked too, in
 *    another worker, and their results are shown below, under a heading in the page's language
 *    ("Results in English", glossary/ui-strings.yml search_english, carried in the index's config).
 * 5. Titles first. Material's worker builds the whole lunr index before it answers: at 1,000 pages
 *    megabytes and many seconds. Each index has a titles-only companion (search_index.titles.json):
 *    it is fetched and built first and answers at once, while the whole index is fetched and built in
 *    a second worker, which then answers (the newest query is asked again there).
 * 6. Pieces. A whole index larger than extra.lawguide.search_piece_kb (the 1,000-page copy's, not the
 *    real guide's) is written in pieces too (config.lawguide.parts of the titles index): they are fetched
 *    and built one at a time, each in a worker of its own, and results merge the titles index and every
 *    ready piece. No piece is fetched while search is closed and no query waits; the next search goes on.
 *    A piece that fails (not there, broken, or not whole by its deadline, config.lawguide.piece_seconds:
 *    a stalled download on a bad network) does not stop the pieces after it; the next search asks again.
 *    Each piece is built with the whole index's word rarity (config.lawguide.rarity, a file fetched once
 *    before the first piece, and workers/lawguide-search-worker.js), so it scores a page as the whole index
 *    does and the merged results rank as the whole index's.
 */
(function () {
  "use strict";
  var shared = window.lawguideSearch;
  if (!shared || shared.engine) return;  // loaded only by lawguide-search.js, once
  var SETUP = 0;  // Material's worker messages: 0 the index, 1 ready, 2 a query, 3 its result
  var READY = 1;
  var QUERY = 2;
  var RESULT = 3;
  var FEW = 3;  // fewer results than this in the page's language: English results are added below
  var LANG = shared.lang;
  var OWN = shared.own;
  var englishHeading = null;  // from the page's language's index (config.lawguide.english)
  var routeWords = null;  // the routes' words in the page's language, where it has them (config.lawguide.routes)

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

  // A query in the page's language, as its index holds words. Material adds a trailing wildcard to each
  // word of three letters or more, and lunr runs no stemmer on a word with a wildcard, so:
  //  - "fold" (lunr.fold: pl, ur): each word is folded and cut here, as lunr.fold cut the index's words
  //    ("płatności" -> "platnos", then Material's "platnos*");
  //  - "stem" (a lunr stemmer: ro, ar): each word is also asked whole ("word^1", no wildcard, so lunr
  //    stems it as it stemmed the index), beside Material's "word*" for a word still being typed.
  function ownWords(query, how) {
    if (how !== "fold" && how !== "stem") return query;
    return String(query).split(/\s+/).map(function (word) {
      if (!word || /^[+-]|[~^*:"]/.test(word)) return word;
      if (how === "fold") return plain(word.toLowerCase().replace(/^[^\p{L}\p{N}]+|[^\p{L}\p{N}]+$/gu, ""));
      return word.length < 3 ? word : word + "^1 " + word;
    }).join(" ");
  }

  // Words of the query that a heading must hold: not the little words. As in search itself, a word
  // of one or two letters ("H" in "section H", "PA") matches a whole word, a longer one the start.
  var LITTLE = /^(a|an|as|at|be|by|do|i|i'm|im|i've|i'd|if|in|is|it|me|my|no|of|on|or|so|to|up|us|we|he|the|and|for|are|can|how|what|when|who|why|does|with|you|your|our|his|her|him|she|they|them|this|that|not|get|got|from|into|about|will|have|has|had|was|were|its|any|all|but|out)$/;
  // On a page in another language, words are compared as lunr.fold indexes them (accents folded,
  // a long word without its last two letters); English words as typed.
  function plain(word) {
    if (!OWN) return word;
    var folded = Array.from(word.normalize("NFD").replace(/\p{M}+/gu, "").replace(/ł/g, "l")
      .replace(/[\u064a\u0649]/g, "\u06cc").replace(/\u0643/g, "\u06a9"));
    return (folded.length >= 6 ? folded.slice(0, -2) : folded).join("");
  }
  function wordsOf(text) {
    return String(text).toLowerCase().split(/[^\p{L}\p{N}']+/u).filter(function (w) { return w; }).map(plain);
  }
  function headingWords(query) {
    return wordsOf(query).filter(function (w) { return OWN || !LITTLE.test(w); });
  }
  // How tightly a title holds every word: the share of its words that are the query's (0: not all).
  function fit(title, words) {
    var have = wordsOf(String(title || "").replace(/<[^>]*>/g, " "));
    var all = words.every(function (w) {
      return have.some(function (h) { return w.length < 3 ? h === w : h.lastIndexOf(w, 0) === 0; });
    });
    return all ? words.length / have.length : 0;
  }
  // The parents' words a page is also searched as (render/search.py adds "Also searched as: a, b."
  // to the page's own entry): each counts as a heading of that page. Read from the index files
  // themselves (learnAlso): a result from Material's worker carries only the first blocks of a page's
  // text that match, which cut the words off whenever the page's opening already held a word of the
  // query ("my ex wants to stop the direct payments" never reached "my ex").
  var ALSO = /Also searched as:([^<]*)/;
  var ALSO_BY_PAGE = Object.create(null);
  function entities(text) {
    return text.replace(/&(#x27|#39|quot|lt|gt|amp);/g, function (all, name) {
      return { "#x27": "'", "#39": "'", quot: '"', lt: "<", gt: ">", amp: "&" }[name];
    });
  }
  function alsoOf(text) {
    var found = ALSO.exec(String(text || "").replace(/<\/?mark[^>]*>/g, ""));
    return found ? entities(found[1].replace(/\.\s*$/, "")).split(",") : null;
  }
  function learnAlso(docs) {
    (docs || []).forEach(function (doc) {
      var location = String((doc && doc.location) || "");
      var words = location.indexOf("#") < 0 && alsoOf(doc.text);
      if (words) ALSO_BY_PAGE[location] = words;
    });
    learnWords(docs);
  }
  function alsoSearchedAs(doc) {
    return ALSO_BY_PAGE[String(doc.location || "").split("#")[0]] || alsoOf(doc.text) || [];
  }
  // A page's own heading holding the words beats the same fit among its "also searched as" words:
  // "What is Family Help?" before a page also searched as "Family Help waiting list".
  var ALSO_WEIGHT = 0.99;
  // Reference pages (law pages, the glossary, What's changed) keep the place Material gives them:
  // the index already ranks them below the guide, and their titles are names, not answers.
  var REFERENCE = /^(law|glossary|changes)\//;
  // Translated and Easy Read versions (docs/<two-letter language>/, docs/easy-read/) share the English
  // page's English names ("Family Help"): they keep the lower place the index gives them, so an English
  // query finds the English section first. In their own language only they have the words.
  var VERSION = /^([a-z]{2}|easy-read)\//;
  function keepsItsPlace(doc) {
    var location = String(doc.location);
    return REFERENCE.test(location) || (!OWN && VERSION.test(location));
  }
  // Coverage. Material matches any word of the query (lunr's OR) and adds up the scores, so for a long
  // question ("sunt mama si nu mai fac fata am nevoie de ajutor") a page holding two everyday words many
  // times, or one in its title ("ajutor", "help" in the crisis page's), beat the page whose headings hold
  // four of its words. So the pages whose title, headings and "also searched as" words hold the most of
  // the query's words come first, then lunr's order. Headings, not the text: a long page's text holds
  // nearly every word (measured: of "nu am diagnostic pentru copil pot cere ajutor", every word but
  // "diagnostic" is in the text of all ten Romanian pages). Words in the headings of more than half the
  // pages tell no page from another and are not counted, nor English's little words. Only a page holding
  // at least three is moved (a long question): with one or two, lunr's order stands, as lunr weighs
  // stems and the whole text better than a heading's first letters can (Arabic "التقييم" is not found
  // as "تقييم"; Polish "od", "from", counts as a word).
  var WORDS_BY_PAGE = Object.create(null);  // page -> the set of its heading words (plain)
  var PAGES_WITH = Object.create(null);  // query word -> how many pages' headings hold it (per index)
  var COMMON = 0.5;
  var LONG = 3;  // the fewest query words a page's headings must hold to be moved up by coverage
  function learnWords(docs) {
    var texts = Object.create(null);
    (docs || []).forEach(function (doc) {
      if (!doc) return;
      var location = String(doc.location || "");
      var page = location.split("#")[0];
      var also = location === page ? alsoOf(doc.text) : null;
      (texts[page] = texts[page] || []).push(String(doc.title || "").replace(/<[^>]*>/g, " "), (also || []).join(" "));
    });
    Object.keys(texts).forEach(function (page) {
      // The whole index's entries replace the titles index's: the same titles and words.
      WORDS_BY_PAGE[page] = new Set(wordsOf(entities(texts[page].join(" "))));
    });
    PAGES_WITH = Object.create(null);
  }
  // A query word found among a page's words: a word of one or two letters whole, a longer one as the
  // start of a word (as search matches them: "assess" finds "assessment").
  function holds(have, word) {
    if (word.length < 3) return have.has(word);
    if (have.has(word)) return true;
    for (var h of have) if (h.lastIndexOf(word, 0) === 0) return true;
    return false;
  }
  function pagesWith(word) {
    if (!(word in PAGES_WITH)) {
      var count = 0;
      for (var page in WORDS_BY_PAGE) if (holds(WORDS_BY_PAGE[page], word)) count += 1;
      PAGES_WITH[word] = count;
    }
    return PAGES_WITH[word];
  }
  function telling(query) {
    var pages = Object.keys(WORDS_BY_PAGE).length;
    return Array.from(new Set(wordsOf(query))).filter(function (w) {
      return !LITTLE.test(w) && pagesWith(w) <= COMMON * pages;
    });
  }
  function coverage(location, words) {
    var have = WORDS_BY_PAGE[String(location || "").split("#")[0]];
    if (!have) return 0;
    return words.filter(function (w) { return holds(have, w); }).length;
  }
  function headingsFirst(items, query) {
    var wanted = headingWords(query);
    if (!wanted.length || !items || items.length < 2) return items;
    var counted = telling(query);
    if (counted.length < LONG) counted = [];
    var ranked = items.map(function (group, order) {
      var best = 0;
      var covers = 0;
      if (Array.isArray(group)) {
        if (group[0] && counted.length && !keepsItsPlace(group[0])) covers = coverage(group[0].location, counted);
        if (covers < LONG) covers = 0;
        group.forEach(function (doc) {
          if (!doc || keepsItsPlace(doc)) return;
          best = Math.max(best, fit(doc.title, wanted));
          alsoSearchedAs(doc).forEach(function (words) {
            best = Math.max(best, ALSO_WEIGHT * fit(words, wanted));
          });
        });
      }
      return { group: group, covers: covers, best: best, order: order };
    });
    ranked.sort(function (a, b) {
      return b.covers - a.covers || (b.best > 0) - (a.best > 0) || b.best - a.best || a.order - b.order;
    });
    return ranked.map(function (r) { return r.group; });
  }

  // A real worker of Material's, asked with promises: it answers in the order it was asked.
  function Engine(url, options) {
    var engine = this;
    var settled = null;
    this.waiting = [];
    this.ready = new Promise(function (resolve) { settled = resolve; });
    this.worker = new shared.Worker(url, options);
    this.worker.addEventListener("message", function (event) {
      var data = event.data;
      if (data && data.type === READY) settled(true);
      else if (data && data.type === RESULT && engine.waiting.length) engine.waiting.shift()(data.data);
    });
    this.worker.addEventListener("error", function () { settled(false); });
  }
  Engine.prototype.setup = function (data) {
    this.worker.postMessage({ type: SETUP, data: data });
  };
  Engine.prototype.ask = function (query) {
    var engine = this;
    return new Promise(function (resolve) {
      engine.waiting.push(resolve);
      engine.worker.postMessage({ type: QUERY, data: query });
    });
  };
  // A query's result from an engine: a search that finds nothing is asked again with a letter forgiven,
  // and headings that hold every word come first.
  function searchWith(engine, typed, stemming) {
    var query = ownWords(typed, stemming);
    return engine.ask(query).then(function (result) {
      var again = !(result && result.items && result.items.length) && forgiving(query);
      return again ? engine.ask(again) : result;
    }).then(function (result) {
      result = result || { items: [] };
      if (result.items && result.items.length && stemming !== "english") {
        result.items = headingsFirst(result.items, typed);
      }
      return result;
    });
  }
  // An index file, fetched past the hold on Material's request (lawguide-search.js). seconds: a deadline
  // (a piece's: see connect), after which the download is dropped and counts as failed (null), as an error does.
  // XMLHttpRequest's own timeout, not an AbortController: that is for fetch(), and this request is one.
  function getIndex(url, seconds) {
    return getJson(url, seconds).then(function (index) {
      return index && index.config && Array.isArray(index.docs) ? index : null;
    });
  }
  function getJson(url, seconds) {
    return new Promise(function (resolve) {
      var request = new XMLHttpRequest();
      shared.open.call(request, "GET", url);
      request.responseType = "json";
      if (seconds) request.timeout = seconds * 1000;
      request.addEventListener("load", function () {
        resolve(request.status === 200 ? request.response : null);
      });
      ["error", "timeout", "abort"].forEach(function (name) {
        request.addEventListener(name, function () { resolve(null); });
      });
      shared.send.call(request);
    });
  }

  // Results from several indexes at once (the titles index and the ready pieces of the whole one), as one
  // of Material's results: each entry {engine, pages}, pages the set of pages the engine holds whole (null
  // for the titles index, whose entry for a page is dropped once a ready piece holds that page). Pages are
  // ordered by Material's score (a page's best entry), then the engine's own order; one engine's result is
  // passed on as it is.
  function merged(list, results) {
    if (list.length === 1) return Object.assign({}, results[0] || { items: [] });  // its own: reordered below
    var whole = new Set();
    list.forEach(function (entry) { if (entry.pages) entry.pages.forEach(function (page) { whole.add(page); }); });
    var groups = [];
    results.forEach(function (result, at) {
      ((result && result.items) || []).forEach(function (group) {
        var page = Array.isArray(group) && group[0] ? String(group[0].location || "").split("#")[0] : "";
        if (!list[at].pages && whole.has(page)) return;  // the piece's entry, with its text, answers
        var score = 0;
        (Array.isArray(group) ? group : []).forEach(function (doc) { score = Math.max(score, (doc && doc.score) || 0); });
        // To 12 digits: two pieces add a page's word scores in another order, so the same page (a copy, a
        // version) scored 272.53374317921885 in one and ...89 in another, and that last digit, not the menu's
        // order of the pieces, chose which came first ("bruises self harm autism" on the 1,000-page copy).
        groups.push({ group: group, score: Number(score.toPrecision(12)), order: groups.length });
      });
    });
    groups.sort(function (a, b) { return b.score - a.score || a.order - b.order; });
    return Object.assign({}, results[0] || {}, { items: groups.map(function (g) { return g.group; }) });
  }
  // A query's result from a list of engines: a search that finds nothing in any is asked again with a
  // letter forgiven, and headings that hold every word come first. Each engine keeps its answer to the
  // last query it was asked, so when a piece is ready only that piece is asked the query again.
  function askOnce(entry, q) {
    if (entry.last && entry.last.q === q) return entry.last.answer;
    var answer = entry.engine.ask(q);
    entry.last = { q: q, answer: answer };
    return answer;
  }
  function searchAll(list, typed, stemming) {
    var query = ownWords(typed, stemming);
    function askAll(q) {
      return Promise.all(list.map(function (entry) { return askOnce(entry, q); })).then(function (results) {
        return merged(list, results);
      });
    }
    return askAll(query).then(function (result) {
      var again = !(result && result.items && result.items.length) && forgiving(query);
      return again ? askAll(again) : result;
    }).then(function (result) {
      result = result || { items: [] };
      if (result.items && result.items.length && stemming !== "english") {
        result.items = headingsFirst(result.items, typed);
      }
      return result;
    });
  }
  // The pieces a large whole index is written in (render/search.py names them in the titles index's
  // config.lawguide.parts): plain file names beside the index, nothing else (the site's own files only).
  var PART = /^search_index(\.[A-Za-z0-9-]+)?\.part-[0-9]+\.json$/;
  function partUrls(cfg, whole) {
    var named = cfg && cfg.lawguide && cfg.lawguide.parts;
    if (!Array.isArray(named) || !named.length || !named.every(function (n) { return PART.test(String(n)); })) {
      return [whole];
    }
    return named.map(function (n) { return new URL(n, whole).href; });
  }
  // The deadline for each piece's download, in seconds (config.lawguide.piece_seconds, which render/search.py
  // works out from the pieces' size and Slow 4G), or PIECE_SECONDS where a titles index does not give a
  // usable one. A piece that stalls for ever (a phone on a bad network) would otherwise stop every piece
  // after it. None for a whole index that is not in pieces: no piece waits behind it, and its size has no
  // cap, so a fixed deadline could drop a slow but sound download every time.
  var PIECE_SECONDS = 20;
  // The whole index's word rarity (config.lawguide.rarity: render/search.py word_rarity), a file beside the
  // index, and the worker that builds a piece with it (workers/lawguide-search-worker.js, beside Material's,
  // told its name): each piece then scores a page as the whole index does, so merged results rank as the
  // whole index's. Without either, each piece uses its own word rarity, as before.
  var RARITY = /^search_index(\.[A-Za-z0-9-]+)?\.rarity\.json$/;
  var MATERIAL_WORKER = /^search\.[0-9a-f]+\.min\.js$/;
  function rarityUrl(cfg, whole) {
    var named = cfg && cfg.lawguide && cfg.lawguide.rarity;
    return typeof named === "string" && RARITY.test(named) ? new URL(named, whole).href : null;
  }
  function rarityWorker(material) {
    var at = new URL(material, window.location.href);
    var name = at.pathname.split("/").pop();
    if (!MATERIAL_WORKER.test(name)) return null;
    var wrapper = new URL("lawguide-search-worker.js", at);
    wrapper.searchParams.set("worker", name);
    return wrapper.href;
  }
  function usableRarity(table) {
    return table && typeof table.count === "number" && table.count > 0 && table.df && typeof table.df === "object"
      && !Array.isArray(table.df) ? table : null;
  }
  function pieceSeconds(cfg, urls, whole) {
    if (urls.length === 1 && urls[0] === whole) return 0;
    var given = cfg && cfg.lawguide && cfg.lawguide.piece_seconds;
    return typeof given === "number" && isFinite(given) && given > 0 ? given : PIECE_SECONDS;
  }
  // The reader is searching: the search box is open or has the focus, or a query waits for its answer.
  function searching(pending) {
    var toggle = document.getElementById("__search");
    var input = document.querySelector(".md-search__input");
    return pending || !!(toggle && toggle.checked) || (!!input && document.activeElement === input);
  }

  // Material's search worker, made real: Material sends it the titles-only index (lawguide-search.js
  // turned its request to that): a worker builds that at once and answers. Then the whole index is
  // fetched and built, a piece at a time where it is written in pieces (render/search.py), each piece in a
  // worker of its own (Material's worker takes one index), one after the other; after each, the newest
  // query is asked again of the titles index and every ready piece, merged. No further piece is fetched
  // while search is closed and no query waits (a reader who searched once and left does not download the
  // rest); the next search goes on. On a page in another language a further worker holds the English
  // titles. `deliver` hands an event to Material's listeners on the stand-in worker; what comes back takes
  // Material's messages in order.
  function connect(url, options, deliver) {
    var latest = null;  // the newest query Material asked: {seq, typed, answered}
    var seq = 0;
    var stemming = null;  // on a page in another language: "fold" (lunr.fold) or "stem" (a lunr stemmer)
    var quick = null;
    var parts = [];  // the whole index's files, in order (one where it is not in pieces)
    var deadline = 0;  // seconds a piece's download may take (pieceSeconds), 0 for none
    // The whole index's word rarity: its URL (none where not written), then the table once fetched (undefined
    // until asked; null when it failed, or its worker did: pieces are then built with their own, as before).
    var rarityAt = null;
    var rarity;
    var rarityBuilder = null;  // the worker that builds a piece with it
    var pieces = [];  // the ready ones: {engine, pages}
    // Per part: true once ready, false when it failed since the last query (404, offline, broken JSON,
    // a download past its deadline, a worker that could not build it). A failed part does not hold up the parts after it; it is
    // fetched again on the next query.
    var done = [];
    var fetching = false;
    var titlesReady = false;  // the titles index has answered: pieces may be fetched
    var english = null;
    var engines = [];
    var setupOptions = null;  // Material's options for its worker, sent with the titles index
    var setUp = null;
    var isSetUp = new Promise(function (resolve) { setUp = resolve; });
    function post(message) {
      if (message && message.type === SETUP) setup(message.data);
      if (message && message.type === QUERY) {
        seq += 1;
        latest = { seq: seq, typed: message.data, answered: false };
        done = done.map(function (ok) { return ok || undefined; });  // the failed ones: try again
        var asked = latest;
        isSetUp.then(function () { search(asked); more(); });
      }
    }
    function terminate() {
      engines.forEach(function (e) { e.worker.terminate(); });
      document.removeEventListener("focusin", resume, true);
      document.removeEventListener("change", resume, true);
    }
    // Which index the results on screen came from, on Material's result block: "titles" first, which
    // may order pages differently from the whole index; "part" while some pieces are ready
    // (data-lg-parts: ready/all); "whole" once the whole index answers. And which query they answer
    // (data-lg-query): a busy phone may still show the answer to the first letters typed while the whole
    // query is being answered.
    function answeredFrom(which, typed) {
      var block = document.querySelector(".md-search-result");
      if (!block) return;
      block.setAttribute("data-lg-index", which);
      block.setAttribute("data-lg-query", String(typed));
      block.setAttribute("data-lg-parts", pieces.length + "/" + parts.length);
    }
    function show(result) {
      deliver("message", { type: "message", data: { type: RESULT, data: result } });
    }
    function engine(workerUrl) {
      var made = new Engine(workerUrl || url, options);
      made.worker.addEventListener("error", function (event) { deliver("error", event); });
      engines.push(made);
      return made;
    }
    function forget(made) {  // a worker that could not build its part: not kept, not terminated twice
      made.worker.terminate();
      engines = engines.filter(function (e) { return e !== made; });
    }
    function complete() {
      return parts.length > 0 && pieces.length === parts.length;
    }
    // The engines that answer now: every ready piece, and the titles index until the whole one is ready.
    var titlesEntry = null;
    function answering() {
      titlesEntry = titlesEntry || { engine: quick, pages: null };
      return pieces.concat(complete() ? [] : [titlesEntry]);
    }
    // The next piece, if the reader is searching, once the titles index has answered (on a slow network
    // the titles index has the bandwidth to itself: it answers the first search).
    function nextPart() {
      for (var at = 0; at < parts.length; at += 1) if (done[at] === undefined) return at;
      return -1;
    }
    function more() {
      var at = fetching || !titlesReady ? -1 : nextPart();
      if (at < 0) return;
      if (!searching(latest && !latest.answered)) return;  // resumed by the next search (resume, post)
      fetching = true;
      if (rarityAt && rarity === undefined) {  // once, before the first piece: every piece is built with it
        getJson(rarityAt, deadline).then(function (table) {
          rarity = usableRarity(table);
          fetching = false;
          more();
        });
        return;
      }
      var made = null;
      var withRarity = !!(rarity && rarityBuilder);
      getIndex(parts[at], deadline).then(function (index) {
        if (!index) return null;
        made = engine(withRarity ? rarityBuilder : null);
        made.setup({ config: index.config, docs: index.docs, options: setupOptions, rarity: withRarity ? rarity : undefined });
        var pages = new Set(index.docs.map(function (doc) { return String((doc && doc.location) || "").split("#")[0]; }));
        if (parts.length === 1) learnAlso(index.docs);  // the whole index at once: as before
        return made.ready.then(function (ok) { return ok ? { engine: made, pages: pages } : null; });
      }).catch(function () { return null; }).then(function (piece) {
        fetching = false;
        done[at] = !!piece;
        if (!piece) {  // offline, stalled or broken: the parts after it go on, the next query tries it again
          // A piece our worker could not build: no longer built with the whole index's rarity (the worker
          // file missing, say), so the pieces still come.
          if (made && withRarity) rarity = null;
          if (made) forget(made);
          more();
          return;
        }
        pieces.push(piece);
        if (complete()) quick.worker.terminate();  // its index is no longer asked: free a phone's memory
        if (latest) search(latest);  // the newest query, from the titles and every ready piece
        more();
      });
    }
    function resume(event) {
      var target = event && event.target;
      if (target && (target.id === "__search" || (target.closest && target.closest(".md-search")))) more();
    }
    function setup(data) {
      var cfg = (data && data.config) || {};
      if (OWN) {
        englishHeading = cfg.lawguide && cfg.lawguide.english;
        routeWords = (cfg.lawguide && cfg.lawguide.routes) || null;
        stemming = (cfg.lang || [])[0] === "fold" ? "fold" : "stem";
      }
      setupOptions = data && data.options;
      learnAlso(data && data.docs);
      quick = engine();
      quick.setup(data);
      quick.ready.then(function () {
        deliver("message", { type: "message", data: { type: READY } });
        titlesReady = true;
        more();
      });
      setUp();
      if (!shared.indexUrls) return;
      parts = partUrls(cfg, shared.indexUrls.whole);
      deadline = pieceSeconds(cfg, parts, shared.indexUrls.whole);
      if (parts.length > 1 || parts[0] !== shared.indexUrls.whole) {
        rarityBuilder = rarityWorker(url);
        rarityAt = rarityBuilder && rarityUrl(cfg, shared.indexUrls.whole);  // not fetched if no worker can use it
      }
      document.addEventListener("focusin", resume, true);
      document.addEventListener("change", resume, true);
      if (OWN) {
        getIndex(shared.indexUrls.english).then(function (index) {
          if (!index) return;
          english = engine();
          english.setup({ config: index.config, docs: index.docs, options: data.options });
        });
      }
    }
    function search(asked) {
      var list = answering();
      var ready = pieces.length;
      searchAll(list, asked.typed, stemming).then(function (result) {
        if (asked !== latest) return;  // the reader typed on: a newer answer is coming
        if (pieces.length !== ready) return;  // another piece is ready and asked again
        asked.answered = true;
        answeredFrom(complete() ? "whole" : ready ? "part" : "titles", asked.typed);
        show(result);
        if (!OWN || !english || result.items.length >= FEW) return;
        // English results below the page's own once the English titles answer.
        english.ready.then(function () { return searchWith(english, asked.typed, "english"); }).then(function (more) {
          // Not if a piece was ready since: its answer (to this same query) is on screen, and this older one,
          // coming after it, would take its place (with fewer pages of the page's own language).
          if (asked !== latest || pieces.length !== ready || !more.items.length) return;
          show(Object.assign({}, result, { items: result.items.concat(more.items) }));
        });
      });
    }
    return { post: post, terminate: terminate };
  }

  // Routes instead of an empty box: under Material's "No matching documents".
  function config() {
    var node = document.getElementById("__config");
    try { return node ? JSON.parse(node.textContent) : null; } catch (err) { return null; }
  }
  // The routes' English words, as glossary/ui-strings.yml gives them (search_try, search_finder, search_talk):
  // a page in another language gets its own from its index (routeWords) and English for any it lacks.
  var ROUTES_EN = {
    try: "Try one or two everyday words, such as \u201crespite\u201d or \u201ccomplain\u201d. Or:",
    finder: "Answer a few questions to find the right page",
    talk: "Talk to someone: free helplines for parents"
  };
  // Words in the page's language keep its lang and dir; English words are marked so (on `marked`: the list
  // item, so its bullet and indent follow the words' direction), so a right-to-left page shows them left to
  // right and a screen reader reads them as English. Always textContent: the words are data.
  function say(marked, words, name) {
    var own = routeWords && typeof routeWords[name] === "string" && routeWords[name];
    words.textContent = own || ROUTES_EN[name];
    if (own) {
      marked.removeAttribute("lang");
      marked.removeAttribute("dir");
    } else {
      marked.setAttribute("lang", "en");
      marked.setAttribute("dir", "ltr");
    }
  }
  function routes(base) {
    var box = document.createElement("div");
    // Material's colours for text (the page's) and links (md-typeset). Without them the box took the
    // header's white and was drawn white on the white results panel (seen on a 360 px phone, 2026-12-07).
    box.className = "lg-search-routes md-typeset";
    box.style.color = "var(--md-typeset-color)";
    box.style.padding = "0 0.8rem 0.8rem";  // as Material's result meta above it
    box.style.fontSize = "0.8rem";
    var intro = document.createElement("p");
    intro.setAttribute("data-lg-route", "try");
    var list = document.createElement("ul");
    list.style.margin = "1em 0";
    list.style.paddingInlineStart = "0.625em";
    [["finder/", "finder"], ["get-help/#free-advice", "talk"]].forEach(function (route) {
      var item = document.createElement("li");
      // Indented at the start of its own words' direction: the left for English, the right for Arabic or Urdu
      // (Material's right-to-left rule indented an English list on the right).
      item.style.margin = "0 0 0.5em";
      item.style.marginInlineStart = "1.25em";
      var link = document.createElement("a");
      link.href = new URL(route[0], base).href;  // English pages: the words say so where they are translated
      link.setAttribute("data-lg-route", route[1]);
      item.appendChild(link);
      list.appendChild(item);
    });
    box.appendChild(intro);
    box.appendChild(list);
    return box;
  }
  // The words, written when the box is shown: the page's index (and its words) has been read by then.
  function fillRoutes(box) {
    Array.prototype.forEach.call(box.querySelectorAll("[data-lg-route]"), function (words) {
      say(words.tagName === "A" ? words.parentNode : words, words, words.getAttribute("data-lg-route"));
    });
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
      if (!box.hidden) fillRoutes(box);
    }).observe(meta, { childList: true, characterData: true, subtree: true });
  }
  // An English result on a page in another language is marked lang="en" dir="ltr", title and teaser:
  // on a right-to-left page (ar, ur) English read right to left ("?How do I link to a section"), and a
  // screen reader read it with the page's language's voice. Material's own words inside it ("Missing:"
  // in the page's language) are marked back. The heading over them stays in the page's language.
  function markLtr(li) {
    if (li.getAttribute("lang") === "en") return;
    li.setAttribute("lang", "en");
    li.setAttribute("dir", "ltr");
    Array.prototype.forEach.call(li.querySelectorAll(".md-search-result__terms"), function (terms) {
      terms.setAttribute("lang", LANG);
      terms.setAttribute("dir", document.documentElement.dir || "ltr");
    });
  }
  // "Results in English": a heading before the first English result on a page in another language.
  function markEnglish() {
    var cfg = config();
    var list = document.querySelector(".md-search-result__list");
    if (!OWN || !cfg || !list) return;
    var own = new URL(LANG + "/", new URL(cfg.base || ".", window.location.href)).pathname;
    new MutationObserver(function () {
      var english = Array.prototype.filter.call(list.children, function (li) {
        var link = li.querySelector && li.querySelector("a.md-search-result__link");
        return link && new URL(link.href).pathname.lastIndexOf(own, 0) !== 0;
      });
      english.forEach(markLtr);
      var first = english[0] || null;
      var heading = list.querySelector(".lg-search-english");
      if (heading && heading.nextElementSibling === first) return;  // already in place (or none needed)
      if (heading) heading.remove();
      if (!first) return;
      heading = document.createElement("li");
      heading.className = "lg-search-english";
      heading.setAttribute("role", "heading");
      heading.setAttribute("aria-level", "2");
      heading.style.padding = "0.8rem 0.8rem 0.4rem";  // as Material's result meta
      heading.style.fontSize = "0.8rem";
      heading.style.fontWeight = "700";
      heading.textContent = englishHeading || "Results in English";
      list.insertBefore(heading, first);
    }).observe(list, { childList: true });
  }
  function ready() {
    watchResults();
    markEnglish();
  }
  // Fetched when a search starts: usually long after the page was read, but a page opened from a
  // search result (?h=) asks for it from <head>.
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", ready);
  else ready();

  // The ranking on its own, for the tests (tests/browser/test_search_ranking.py): learn(docs) as from an
  // index file, order(items, query) as Material's grouped results.
  shared.ranking = { learn: learnAlso, order: headingsFirst };
  shared.ready(connect);
})();
