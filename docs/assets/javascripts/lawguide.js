/* lawguide: small progressive enhancements. */

/* Run fn on every page: at load, and again after each of Material's instant navigations. */
var lawguideOnEachPage = function (fn) {
  "use strict";
  if (window.document$ && typeof window.document$.subscribe === "function") {
    window.document$.subscribe(function () { fn(); });
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", function () { fn(); });
  } else {
    fn();
  }
};

/* ---- Copy link to this section (links-that-never-break) ------------------------------------
 * Adds a small icon button beside every section heading (h2[id], h3[id] in .md-content) that
 * copies the full URL of that section. The heading and its button share a row (div.lg-heading-row);
 * the button's name is "Copy link to section: <heading>". Works by mouse, keyboard and touch; announces the result in a
 * polite live region; if the clipboard is unavailable, shows the link selected in a read-only
 * box so it can be copied by hand. No libraries, no network, no storage. Without JavaScript the
 * theme's own permalink (the pilcrow) still links to each section.
 */
(function () {
  "use strict";

  var BUTTON_CLASS = "lg-copy-link";
  var ROW_CLASS = "lg-heading-row";
  var STATUS_ID = "lg-copy-link-status";

  /* The button's words in the page's language: render/translations.py writes them on <body data-lg-copy-link ...>
   * from glossary/ui-strings.yml on a translated page; English where absent. */
  var ENGLISH = {
    "copy-link": "Copy link to this section",
    "copy-link-to": "Copy link to section:",
    "link-copied": "Link copied",
    "copy-by-hand": "Copy this link:",
    "copy-failed": "Could not copy automatically. The link is shown and selected so you can copy it."
  };

  function word(name) {
    var own = document.body.getAttribute("data-lg-" + name);
    return own === null ? ENGLISH[name] : own;
  }

  /* An element holding English words on a page in another language says so, so a screen reader speaks them as English. */
  function say(element, name, prefix) {
    var own = document.body.hasAttribute("data-lg-" + name);
    var english = !own && (document.documentElement.getAttribute("lang") || "en").split("-")[0] !== "en";
    element.textContent = word(name) + (prefix || "");
    if (english) {
      element.setAttribute("lang", "en");
      element.setAttribute("dir", "ltr");
    } else {
      element.removeAttribute("lang");
      element.removeAttribute("dir");
    }
  }

  function liveRegion() {
    var region = document.getElementById(STATUS_ID);
    if (!region) {
      region = document.createElement("div");
      region.id = STATUS_ID;
      region.className = "lg-copy-link__sr";
      region.setAttribute("role", "status");
      region.setAttribute("aria-live", "polite");
      document.body.appendChild(region);
    }
    return region;
  }

  function announce(name) {
    var region = liveRegion();
    region.textContent = "";
    // A fresh text node after a tick makes screen readers repeat the same message.
    window.setTimeout(function () { say(region, name); }, 50);
  }

  function headingText(heading) {
    var clone = heading.cloneNode(true);
    Array.prototype.forEach.call(clone.querySelectorAll(".headerlink"), function (el) {
      el.parentNode.removeChild(el);
    });
    return clone.textContent.replace(/\s+/g, " ").trim();
  }

  function legacyCopy(text, button) {
    var box = document.createElement("textarea");
    box.value = text;
    box.setAttribute("readonly", "");
    box.className = "lg-copy-link__offscreen";
    document.body.appendChild(box);
    box.select();
    var ok = false;
    try {
      ok = document.execCommand("copy");
    } catch (e) {
      ok = false;
    }
    document.body.removeChild(box);
    button.focus();
    return ok;
  }

  function copyText(text, button) {
    if (navigator.clipboard && window.isSecureContext) {
      return navigator.clipboard.writeText(text).then(
        function () { return true; },
        function () { return legacyCopy(text, button); }
      );
    }
    return Promise.resolve(legacyCopy(text, button));
  }

  function showDone(button) {
    var done = button.nextElementSibling;
    if (!done || !done.classList.contains("lg-copy-link__done")) {
      done = document.createElement("span");
      done.className = "lg-copy-link__done";
      done.setAttribute("aria-hidden", "true"); // the live region speaks; this is for sighted readers
      button.insertAdjacentElement("afterend", done);
    }
    say(done, "link-copied");
    window.clearTimeout(done._lgTimer);
    done._lgTimer = window.setTimeout(function () { done.textContent = ""; }, 3000);
  }

  function showFallback(button, url) {
    var id = button.getAttribute("data-lg-anchor") + "-lg-copy-url";
    var input = document.getElementById(id);
    if (!input) {
      var label = document.createElement("label");
      label.className = "lg-copy-link__fallback";
      var words = document.createElement("span");
      say(words, "copy-by-hand", " ");
      label.appendChild(words);
      input = document.createElement("input");
      input.type = "text";
      input.id = id;
      input.readOnly = true;
      input.className = "lg-copy-link__url";
      label.appendChild(input);
      button.parentNode.insertAdjacentElement("afterend", label);
    }
    input.value = url;
    input.focus();
    input.select();
    announce("copy-failed");
  }

  function onClick(event) {
    var button = event.currentTarget;
    var url = location.origin + location.pathname + "#" + button.getAttribute("data-lg-anchor");
    copyText(url, button).then(function (ok) {
      if (ok) {
        showDone(button);
        announce("link-copied");
      } else {
        showFallback(button, url);
      }
    });
  }

  var SVG_NS = "http://www.w3.org/2000/svg";

  /* A chain-link icon (Material Design Icons "link-variant", Apache 2.0), drawn here so nothing loads. */
  function linkIcon() {
    var svg = document.createElementNS(SVG_NS, "svg");
    svg.setAttribute("viewBox", "0 0 24 24");
    svg.setAttribute("width", "20");
    svg.setAttribute("height", "20");
    svg.setAttribute("aria-hidden", "true");
    svg.setAttribute("focusable", "false");
    var path = document.createElementNS(SVG_NS, "path");
    path.setAttribute("fill", "currentColor");
    path.setAttribute("d", "M10.59 13.41c.41.39.41 1.03 0 1.42-.39.39-1.03.39-1.42 0a5.003 5.003 0 0 1 0-7.07l3.54-3.54a5.003 5.003 0 0 1 7.07 0 5.003 5.003 0 0 1 0 7.07l-1.49 1.49c.01-.82-.12-1.64-.4-2.42l.47-.48a2.982 2.982 0 0 0 0-4.24 2.982 2.982 0 0 0-4.24 0l-3.53 3.53a2.982 2.982 0 0 0 0 4.24m2.82-4.24c.39-.39 1.03-.39 1.42 0a5.003 5.003 0 0 1 0 7.07l-3.54 3.54a5.003 5.003 0 0 1-7.07 0 5.003 5.003 0 0 1 0-7.07l1.49-1.49c-.01.82.12 1.64.4 2.43l-.47.47a2.982 2.982 0 0 0 0 4.24 2.982 2.982 0 0 0 4.24 0l3.53-3.53a2.982 2.982 0 0 0 0-4.24.973.973 0 0 1 0-1.42Z");
    svg.appendChild(path);
    return svg;
  }

  function addButton(heading) {
    var row = heading.parentNode;
    if (row && row.classList.contains(ROW_CLASS)) return; // already done: stay idempotent
    var button = document.createElement("button");
    button.type = "button";
    button.className = BUTTON_CLASS;
    button.setAttribute("data-lg-anchor", heading.id);
    button.setAttribute("title", word("copy-link"));
    button.appendChild(linkIcon());
    var hidden = document.createElement("span");
    hidden.className = "lg-copy-link__sr";
    say(hidden, "copy-link-to", " ");
    var name = document.createElement("span"); // the heading's own words, in the page's language
    name.textContent = headingText(heading);
    name.setAttribute("lang", document.documentElement.getAttribute("lang") || "en");
    hidden.appendChild(name);
    button.appendChild(hidden);
    button.addEventListener("click", onClick);
    // Beside the heading, not inside it: the heading's own name stays clean in screen readers' lists.
    row = document.createElement("div");
    row.className = ROW_CLASS + " " + ROW_CLASS + "--" + heading.nodeName.toLowerCase();
    heading.parentNode.insertBefore(row, heading);
    row.appendChild(heading);
    row.appendChild(button);
  }

  function enhance() {
    var headings = document.querySelectorAll(".md-content h2[id], .md-content h3[id]");
    if (!headings.length) return;
    liveRegion();
    Array.prototype.forEach.call(headings, addButton);
  }

  lawguideOnEachPage(enhance);
})();
/* ---- end copy link ------------------------------------------------------------------------- */

/* ---- Folded lists (Words used, Legal basis) ------------------------------------------------
 * render/page.py writes them as closed <details class="lg-fold">: on a phone they stay folded so the
 * answers come first. On a wider screen they open at load. Page history stays folded everywhere.
 * Material opens every <details> in the content while the page prints, and closes them after.
 */
(function () {
  "use strict";

  var WIDE = "(min-width: 45em)";

  function openOnWideScreens() {
    if (!window.matchMedia || !window.matchMedia(WIDE).matches) return;
    Array.prototype.forEach.call(document.querySelectorAll("details.lg-fold:not(.lg-history)"), function (d) {
      if (!d.hasAttribute("data-lg-opened")) {
        d.open = true;
        d.setAttribute("data-lg-opened", "");
      }
    });
  }

  lawguideOnEachPage(openOnWideScreens);
})();

/* ---- Folded boxes open on paper ------------------------------------------------------------
 * Material opens every <details> in the content on beforeprint. Print preview in some browsers, and
 * print emulation in tests, only switch the print media query: open them then too, and close the ones
 * opened here when the page is back on screen.
 */
(function () {
  "use strict";

  var MARK = "data-lg-print-opened";

  function openAll() {
    Array.prototype.forEach.call(document.querySelectorAll(".md-content details:not([open])"), function (d) {
      d.setAttribute(MARK, "");
      d.open = true;
    });
  }

  function restore() {
    Array.prototype.forEach.call(document.querySelectorAll(".md-content details[" + MARK + "]"), function (d) {
      d.removeAttribute(MARK);
      d.open = false;
    });
  }

  var print = window.matchMedia ? window.matchMedia("print") : null;
  if (print && typeof print.addEventListener === "function") {
    print.addEventListener("change", function (event) { (event.matches ? openAll : restore)(); });
  }
  window.addEventListener("beforeprint", openAll);
  window.addEventListener("afterprint", restore);
})();

/* ---- Links on paper --------------------------------------------------------------------------
 * Printed links show where they go (lawguide.css, @media print, reads data-lg-print-href):
 *   - links to other sites: their address;
 *   - links within the guide: the page's published address, when the site has a canonical address
 *     (site_url set at build time); otherwise none, since a local address means nothing on paper.
 * Skipped: links to a place on the same page, the heading permalinks, citations and glossary words in
 * the running text (the printed Legal basis and Words used lists carry their addresses), and links
 * whose text already is the address.
 */
(function () {
  "use strict";

  document.documentElement.classList.add("lg-js");

  function canonicalBase() {
    var link = document.querySelector('link[rel="canonical"]');
    return link && /^https?:/i.test(link.href) ? link.href : "";
  }

  function inRunningText(a) {
    return (a.classList.contains("lg-cite") || a.classList.contains("lg-term")) &&
      !a.closest(".lg-fold");
  }

  function label() {
    var base = canonicalBase();
    var links = document.querySelectorAll(".md-content a[href]");
    Array.prototype.forEach.call(links, function (a) {
      var href = a.getAttribute("href");
      if (!href || href.charAt(0) === "#" || a.classList.contains("headerlink") || inRunningText(a)) return;
      var address = "";
      if (/^https?:/i.test(href)) {
        address = href;
      } else if (/^(mailto|tel):/i.test(href)) {
        return;
      } else if (base) {
        try { address = new URL(href, base).href; } catch (e) { address = ""; }
      }
      if (!address || a.textContent.replace(/\s+/g, "") === address) return;
      a.setAttribute("data-lg-print-href", address);
    });
  }

  lawguideOnEachPage(label);
})();

/* ---- Editions: "See this page as it was on an earlier date" --------------------------------
 * Pages link to /editions/?page=<the page's path>. There, each edition's link is pointed at the
 * same page in that edition. Without JavaScript the links open each edition's home page.
 */
(function () {
  "use strict";
  var links = document.querySelectorAll("a.lg-edition[data-edition]");
  if (!links.length) return;
  var page = new URLSearchParams(window.location.search).get("page") || "";
  // Only a plain site path: letters, digits, '-', '_', '.', '/'; never '..' or a scheme.
  if (!/^[a-z0-9][a-z0-9\-_.\/]*$/i.test(page) || page.indexOf("..") !== -1) return;
  for (var i = 0; i < links.length; i++) {
    links[i].setAttribute("href", links[i].getAttribute("data-edition") + "/" + page);
  }
})();
