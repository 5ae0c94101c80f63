/* lawguide: small progressive enhancements. */

/* ---- Copy link to this section (links-that-never-break) ------------------------------------
 * Adds a real button after every section heading (h2[id], h3[id] in .md-content) that copies
 * the full URL of that section. Works by mouse, keyboard and touch; announces the result in a
 * polite live region; if the clipboard is unavailable, shows the link selected in a read-only
 * box so it can be copied by hand. No libraries, no network, no storage. Without JavaScript the
 * theme's own permalink (the pilcrow) still links to each section.
 */
(function () {
  "use strict";

  var BUTTON_CLASS = "lg-copy-link";
  var STATUS_ID = "lg-copy-link-status";

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

  function announce(text) {
    var region = liveRegion();
    region.textContent = "";
    // A fresh text node after a tick makes screen readers repeat the same message.
    window.setTimeout(function () { region.textContent = text; }, 50);
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
    done.textContent = "Link copied";
    window.clearTimeout(done._lgTimer);
    done._lgTimer = window.setTimeout(function () { done.textContent = ""; }, 3000);
  }

  function showFallback(button, url) {
    var id = button.getAttribute("data-lg-anchor") + "-lg-copy-url";
    var input = document.getElementById(id);
    if (!input) {
      var label = document.createElement("label");
      label.className = "lg-copy-link__fallback";
      label.appendChild(document.createTextNode("Copy this link: "));
      input = document.createElement("input");
      input.type = "text";
      input.id = id;
      input.readOnly = true;
      input.className = "lg-copy-link__url";
      label.appendChild(input);
      button.insertAdjacentElement("afterend", label);
    }
    input.value = url;
    input.focus();
    input.select();
    announce("Could not copy automatically. The link is shown and selected so you can copy it.");
  }

  function onClick(event) {
    var button = event.currentTarget;
    var url = location.origin + location.pathname + "#" + button.getAttribute("data-lg-anchor");
    copyText(url, button).then(function (ok) {
      if (ok) {
        showDone(button);
        announce("Link copied");
      } else {
        showFallback(button, url);
      }
    });
  }

  function addButton(heading) {
    var next = heading.nextElementSibling;
    if (next && next.classList.contains(BUTTON_CLASS)) return; // already done: stay idempotent
    var button = document.createElement("button");
    button.type = "button";
    button.className = BUTTON_CLASS;
    button.setAttribute("data-lg-anchor", heading.id);
    var visible = document.createElement("span");
    visible.textContent = "Copy link";
    var hidden = document.createElement("span");
    hidden.className = "lg-copy-link__sr";
    hidden.textContent = " to section: " + headingText(heading);
    button.appendChild(visible);
    button.appendChild(hidden);
    button.addEventListener("click", onClick);
    // After the heading, not inside it: the heading's own name stays clean in screen readers' lists.
    heading.insertAdjacentElement("afterend", button);
  }

  function enhance() {
    var headings = document.querySelectorAll(".md-content h2[id], .md-content h3[id]");
    if (!headings.length) return;
    liveRegion();
    Array.prototype.forEach.call(headings, addButton);
  }

  if (window.document$ && typeof window.document$.subscribe === "function") {
    window.document$.subscribe(enhance); // Material: runs on load and after each instant navigation
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", enhance);
  } else {
    enhance();
  }
})();
/* ---- end copy link ------------------------------------------------------------------------- */

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
