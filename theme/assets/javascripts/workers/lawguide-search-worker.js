/* lawguide: Material's search worker, building a piece of a whole index with the whole index's word
 * rarity (issue 31). lawguide-search-engine.js starts it for each piece as
 *   workers/lawguide-search-worker.js?worker=search.<hash>.min.js
 * beside Material's worker (so Material's own "../lunr" files are found as from its own place), and sends
 * Material's setup message with one field more: rarity, {count, df} of search/search_index.rarity.json
 * (render/search.py word_rarity: each word's documents in the whole index, as lunr counts them).
 *
 * Why: lunr weighs a word by its rarity in the index being built (lunr.idf), so each piece had its own,
 * and a word rare in one piece (everyday English in the piece of law pages) lifted that piece's pages above
 * better ones. Here lunr.idf reads the whole index's count for a word the table holds, and the piece's own
 * for any other. And lunr divides a page's score by the size of the query once its words are spread
 * ("child*" stands for every word of the index that starts so): a piece knows fewer words than the whole
 * index, so its scores came out higher (measured: 334 in piece 1 against 327 in the whole index for the same
 * page). So each piece also holds one entry of its own with every word of the table, which no result shows
 * (Material shows only the documents it was given), and a query spreads as in the whole index.
 * Material's worker is otherwise untouched, and answers every message as it does.
 */
(function () {
  "use strict";
  var name = new URL(self.location.href).searchParams.get("worker") || "";
  // Material's worker only: a file beside this one, named as Material names it (nothing from elsewhere).
  if (!/^search\.[0-9a-f]+\.min\.js$/.test(name)) throw new Error("lawguide-search-worker: no Material worker named");
  var rarity = null;
  // Registered before Material's own listener, so the table is kept before Material builds the piece.
  self.addEventListener("message", function (event) {
    var data = event.data;
    if (!data || data.type !== 0 || !data.data) return;
    var given = data.data.rarity;
    var usable = given && typeof given.count === "number" && given.count > 0 && given.df && typeof given.df === "object";
    rarity = usable ? given : null;
  });
  importScripts(name);
  var lunr = self.lunr;
  var own = lunr.idf;
  var building = null;  // the builder whose vectors are being made, and its words by their number
  var words = null;
  // The entry holding every word: a name no page has (a page's is its URL), and only words Material's
  // tokenizer keeps whole (no "<" or ">", which it reads as a tag).
  var EVERY_WORD = "\u0000lawguide-every-word";
  var build = lunr.Builder.prototype.build;
  lunr.Builder.prototype.build = function () {
    if (rarity) {
      var all = Object.keys(rarity.df).filter(function (word) { return !/[<>]/.test(word); });
      this.add({ location: EVERY_WORD, text: all.join(" ") });
    }
    return build.apply(this, arguments);
  };
  var create = lunr.Builder.prototype.createFieldVectors;
  lunr.Builder.prototype.createFieldVectors = function () {
    building = this;
    words = null;
    try {
      return create.apply(this, arguments);
    } finally {
      building = null;
      words = null;
    }
  };
  // lunr.idf is given a word's postings, not the word: its number (_index) names it in the builder.
  lunr.idf = function (posting, documentCount) {
    if (!rarity || !building || !posting) return own(posting, documentCount);
    if (!words) {
      words = [];
      for (var word in building.invertedIndex) words[building.invertedIndex[word]._index] = word;
    }
    var term = words[posting._index];
    var count = term !== undefined && Object.prototype.hasOwnProperty.call(rarity.df, term) ? rarity.df[term] : null;
    if (typeof count !== "number" || !(count > 0)) return own(posting, documentCount);
    // lunr.idf's own formula, with the whole index's figures.
    var x = (rarity.count - count + 0.5) / (count + 0.5);
    return Math.log(1 + Math.abs(x));
  };
})();
