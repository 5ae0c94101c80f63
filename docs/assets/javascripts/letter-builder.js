/*
 * Letter builder for the model letters (docs/letters/*.md).
 *
 * Progressive enhancement: without JavaScript the letter shows as plain text with
 * its [placeholders]. With JavaScript, for every <div class="lg-letter"> this script
 *   - wraps each [placeholder] in <span class="lg-ph" data-ph="slug">,
 *   - inserts a form (form.lg-letter-form) just before the letter (or before the heading
 *     right above the letter, e.g. "The letter"), with one labelled field per unique
 *     placeholder (id "lg-field-<slug>"),
 *   - adds buttons to copy, print and download the letter as a text file, and to print the
 *     whole page with the letter on its own page ("Print this page with its letter").
 *
 * Privacy: nothing is sent anywhere and nothing is stored. No network requests,
 * no cookies, no localStorage or sessionStorage. What you type lives only in the page.
 *
 * Hooks for tests:
 *   div.lg-letter[data-lg-ready="true"]  letter that has been enhanced
 *   span.lg-ph[data-ph="slug"]           a placeholder; gets class lg-ph--filled when filled in
 *   form.lg-letter-form                  the form (aria-label "Fill in your letter")
 *   .lg-field > label + input|textarea   one per placeholder; field has data-ph="slug"
 *   button[data-lg-action="copy|print|print-pack|download"]
 *   p.lg-letter-status[role=status]      announcements ("Letter copied", ...)
 *   window.lgLetterBuilder.init()        re-run (safe to call more than once)
 *   window.lgLetterBuilder.letterText(div) plain text of a letter
 */
(function () {
  'use strict';

  var PLACEHOLDER_RE = /\[([^\[\]\n]{1,120})\]/g;
  var TEXTAREA_WORDS = ['details', 'reasons', 'what happened', 'needs', 'describe'];
  var SKIP_TAGS = { SCRIPT: true, STYLE: true, TEXTAREA: true, INPUT: true, CODE: true, PRE: true };

  /* "Child's date of birth" -> "childs-date-of-birth" */
  function slugify(text) {
    return String(text)
      .toLowerCase()
      .replace(/['\u2018\u2019\u02bc]/g, '')
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '') || 'field';
  }

  function autocompleteFor(label) {
    var l = label.toLowerCase().replace(/[\u2018\u2019]/g, "'");
    if (l === 'your full name') return 'name';
    if (l === 'your address') return 'street-address';
    if (l.indexOf('your email') === 0) return 'email';
    if (l.indexOf('your phone') === 0 || l.indexOf('your telephone') === 0) return 'tel';
    return 'off';
  }

  function wantsTextarea(label) {
    var l = label.toLowerCase();
    for (var i = 0; i < TEXTAREA_WORDS.length; i++) {
      if (l.indexOf(TEXTAREA_WORDS[i]) !== -1) return true;
    }
    return false;
  }

  /* Wrap every [placeholder] in the letter; return [{slug, label}] in order of first use. */
  function wrapPlaceholders(letter) {
    var found = [];
    var seen = {};
    var textNodes = [];
    var walker = document.createTreeWalker(letter, NodeFilter.SHOW_TEXT, {
      acceptNode: function (node) {
        var el = node.parentNode;
        while (el && el !== letter) {
          if (SKIP_TAGS[el.nodeName] || (el.classList && el.classList.contains('lg-ph'))) {
            return NodeFilter.FILTER_REJECT;
          }
          el = el.parentNode;
        }
        PLACEHOLDER_RE.lastIndex = 0;
        return PLACEHOLDER_RE.test(node.nodeValue) ? NodeFilter.FILTER_ACCEPT : NodeFilter.FILTER_SKIP;
      }
    });
    while (walker.nextNode()) textNodes.push(walker.currentNode);

    textNodes.forEach(function (node) {
      var text = node.nodeValue;
      var frag = document.createDocumentFragment();
      var last = 0;
      var match;
      PLACEHOLDER_RE.lastIndex = 0;
      while ((match = PLACEHOLDER_RE.exec(text)) !== null) {
        var label = match[1].replace(/\s+/g, ' ').trim();
        if (!label) continue;
        var slug = slugify(label);
        if (!seen[slug]) {
          seen[slug] = true;
          found.push({ slug: slug, label: label });
        }
        if (match.index > last) frag.appendChild(document.createTextNode(text.slice(last, match.index)));
        var span = document.createElement('span');
        span.className = 'lg-ph';
        span.setAttribute('data-ph', slug);
        span.setAttribute('data-ph-text', match[0]);
        span.textContent = match[0];
        frag.appendChild(span);
        last = match.index + match[0].length;
      }
      if (last < text.length) frag.appendChild(document.createTextNode(text.slice(last)));
      node.parentNode.replaceChild(frag, node);
    });

    // Placeholders wrapped on an earlier run (init is idempotent).
    if (!found.length) {
      Array.prototype.forEach.call(letter.querySelectorAll('span.lg-ph[data-ph]'), function (span) {
        var slug = span.getAttribute('data-ph');
        if (!seen[slug]) {
          seen[slug] = true;
          found.push({ slug: slug, label: (span.getAttribute('data-ph-text') || '').replace(/^\[|\]$/g, '') });
        }
      });
    }
    return found;
  }

  /* Plain text of the letter: paragraphs separated by one blank line. */
  function letterText(letter) {
    var raw = typeof letter.innerText === 'string' ? letter.innerText : letter.textContent;
    return raw
      .replace(/\u00a0/g, ' ')
      .replace(/\r\n?/g, '\n')
      .replace(/[ \t]+\n/g, '\n')
      .replace(/\n{3,}/g, '\n\n')
      .trim() + '\n';
  }

  function pageSlug(index) {
    var h1 = document.querySelector('.md-content h1, article h1, main h1, h1');
    var text = 'letter';
    if (h1) {
      var copy = h1.cloneNode(true);
      Array.prototype.forEach.call(copy.querySelectorAll('.headerlink, a[href^="#"]'), function (a) {
        a.parentNode.removeChild(a);
      });
      text = copy.textContent || 'letter';
    }
    var slug = slugify(text);
    if (slug === 'field') slug = 'letter';
    return index > 0 ? slug + '-' + (index + 1) : slug;
  }

  function announce(status, message) {
    // Clear first so the same message is announced again on a second click.
    status.textContent = '';
    window.setTimeout(function () { status.textContent = message; }, 50);
  }

  function updateSpans(letter, slug, value) {
    var spans = letter.querySelectorAll('span.lg-ph[data-ph="' + slug + '"]');
    var filled = value.replace(/\s+$/, '').length > 0;
    Array.prototype.forEach.call(spans, function (span) {
      span.textContent = filled ? value.replace(/\s+$/, '') : span.getAttribute('data-ph-text');
      span.classList.toggle('lg-ph--filled', filled);
    });
  }

  function copyFallback(text, letter) {
    var ok = false;
    var active = document.activeElement;
    var area = document.createElement('textarea');
    area.value = text;
    area.setAttribute('readonly', '');
    area.setAttribute('aria-hidden', 'true');
    area.className = 'lg-copy-buffer';
    document.body.appendChild(area);
    area.select();
    try { ok = document.execCommand('copy'); } catch (e) { ok = false; }
    document.body.removeChild(area);
    if (active && active.focus) active.focus();
    if (!ok) {
      // Leave the letter selected so the reader can copy it with their device's copy command.
      try {
        var range = document.createRange();
        range.selectNodeContents(letter);
        var sel = window.getSelection();
        sel.removeAllRanges();
        sel.addRange(range);
      } catch (e2) { /* nothing more we can do */ }
    }
    return ok;
  }

  function copyLetter(letter, status) {
    var text = letterText(letter);
    var done = function () { announce(status, 'Letter copied'); };
    var fail = function () {
      if (copyFallback(text, letter)) done();
      else announce(status, 'Could not copy automatically. The letter is selected: use your device\u2019s copy command.');
    };
    if (navigator.clipboard && window.isSecureContext && navigator.clipboard.writeText) {
      navigator.clipboard.writeText(text).then(done, fail);
    } else {
      fail();
    }
  }

  function printLetter(letter, status) {
    var marks = [];
    for (var el = letter.parentNode; el && el.nodeType === 1; el = el.parentNode) {
      marks.push([el, 'lg-print-path']);
    }
    marks.push([letter, 'lg-letter--print-target']);
    printMarked(marks, 'lg-printing', status);
  }

  /* Mark elements (each [element, class]) and the body for paper, print, then take the marks off. */
  function printMarked(marks, bodyClass, status) {
    marks.forEach(function (m) { m[0].classList.add(m[1]); });
    document.body.classList.add(bodyClass);
    printThen(function () {
      document.body.classList.remove(bodyClass);
      marks.forEach(function (m) { m[0].classList.remove(m[1]); });
    }, status);
  }

  /* Print, then undo what was set up for paper: once, after printing or after a minute at the latest. */
  function printThen(undo, status) {
    var cleaned = false;
    var cleanup = function () {
      if (cleaned) return;
      cleaned = true;
      undo();
      window.removeEventListener('afterprint', cleanup);
    };
    window.addEventListener('afterprint', cleanup);
    try {
      window.print();
    } catch (e) {
      announce(status, 'Printing is not available. Copy the letter instead.');
    }
    // print() blocks in most browsers; where it does not, afterprint tidies up.
    if (!('onafterprint' in window)) cleanup();
    else window.setTimeout(cleanup, 60000);
  }

  /* "Print this page with its letter": the advice, then the letter alone on a new page. The form,
     the builder's own section, the letter's heading and everything after the letter stay off paper. */
  function printPack(letter, status) {
    var marks = [];
    for (var el = letter.nextElementSibling; el; el = el.nextElementSibling) {
      marks.push([el, 'lg-pack-hide']);
    }
    var heading = headingAbove(letter);
    if (heading) marks.push([heading, 'lg-pack-hide']);
    marks.push([letter, 'lg-letter--pack']);
    printMarked(marks, 'lg-printing-pack', status);
  }

  /* The builder's own section ("Fill in your letter" and its text) is about the form: off paper. */
  function markBuilderSection(form) {
    var el = form.previousElementSibling;
    for (var i = 0; el && i < 12; i++) {
      el.classList.add('lg-no-print');
      if (/^H[1-6]$/.test(el.nodeName) || (el.classList.contains('lg-heading-row'))) return;
      el = el.previousElementSibling;
    }
  }

  function downloadLetter(letter, status, fileName) {
    var text = letterText(letter).replace(/\n/g, '\r\n');
    var blob = new Blob([text], { type: 'text/plain;charset=utf-8' });
    var url = URL.createObjectURL(blob);
    var a = document.createElement('a');
    a.href = url;
    a.download = fileName;
    a.className = 'lg-download-link';
    a.hidden = true;
    document.body.appendChild(a);
    a.click();
    document.body.removeChild(a);
    window.setTimeout(function () { URL.revokeObjectURL(url); }, 1000);
    announce(status, 'Letter downloaded as ' + fileName);
  }

  function makeButton(text, action) {
    var b = document.createElement('button');
    b.type = 'button';
    b.className = 'lg-letter-button';
    b.setAttribute('data-lg-action', action);
    b.textContent = text;
    return b;
  }

  function uniqueId(base) {
    var id = base;
    var n = 2;
    while (document.getElementById(id)) {
      id = base + '-' + n;
      n++;
    }
    return id;
  }

  function buildForm(letter, fields, index) {
    var form = document.createElement('form');
    form.className = 'lg-letter-form';
    form.setAttribute('aria-label', 'Fill in your letter');
    form.setAttribute('novalidate', '');
    form.addEventListener('submit', function (e) { e.preventDefault(); });

    fields.forEach(function (f) {
      var wrap = document.createElement('div');
      wrap.className = 'lg-field';
      var id = uniqueId('lg-field-' + f.slug);
      var label = document.createElement('label');
      label.setAttribute('for', id);
      label.textContent = f.label;
      var input;
      if (wantsTextarea(f.label)) {
        input = document.createElement('textarea');
        input.rows = 4;
      } else {
        input = document.createElement('input');
        input.type = 'text';
      }
      input.id = id;
      input.name = f.slug;
      input.className = 'lg-input';
      input.setAttribute('data-ph', f.slug);
      input.setAttribute('autocomplete', autocompleteFor(f.label));
      input.setAttribute('spellcheck', 'true');
      input.addEventListener('input', function () { updateSpans(letter, f.slug, input.value); });
      wrap.appendChild(label);
      wrap.appendChild(input);
      form.appendChild(wrap);
      // A value the browser restored (back button) should show in the letter too.
      if (input.value) updateSpans(letter, f.slug, input.value);
    });

    var status = document.createElement('p');
    status.className = 'lg-letter-status';
    status.setAttribute('role', 'status');
    status.setAttribute('aria-live', 'polite');

    var actions = document.createElement('div');
    actions.className = 'lg-letter-actions';
    var copyBtn = makeButton('Copy letter', 'copy');
    var printBtn = makeButton('Print letter', 'print');
    var packBtn = makeButton('Print this page with its letter', 'print-pack');
    var downloadBtn = makeButton('Download as text file', 'download');
    var fileName = pageSlug(index) + '.txt';
    copyBtn.addEventListener('click', function () { copyLetter(letter, status); });
    printBtn.addEventListener('click', function () { printLetter(letter, status); });
    packBtn.addEventListener('click', function () { printPack(letter, status); });
    downloadBtn.addEventListener('click', function () { downloadLetter(letter, status, fileName); });
    actions.appendChild(copyBtn);
    actions.appendChild(printBtn);
    actions.appendChild(packBtn);
    actions.appendChild(downloadBtn);

    form.appendChild(actions);
    form.appendChild(status);
    return form;
  }

  /* The heading just above the letter, skipping small controls other scripts add after
     headings (such as a "copy link" button). Null if the letter has no heading of its own. */
  function headingAbove(letter) {
    var el = letter.previousElementSibling;
    for (var i = 0; el && i < 4; i++) {
      if (/^H[1-6]$/.test(el.nodeName)) return el;
      // lawguide.js puts a heading and its copy-link button in one row.
      if (el.classList && el.classList.contains('lg-heading-row')) return el;
      var cls = typeof el.className === 'string' ? el.className : '';
      if (el.nodeName !== 'BUTTON' && el.nodeName !== 'SPAN' && !/(^|\s)lg-copy/.test(cls)) return null;
      el = el.previousElementSibling;
    }
    return null;
  }

  function init() {
    var letters = document.querySelectorAll('.lg-letter');
    Array.prototype.forEach.call(letters, function (letter, index) {
      if (letter.getAttribute('data-lg-ready') === 'true') return;
      var fields = wrapPlaceholders(letter);
      var form = buildForm(letter, fields, index);
      // Put the form before the letter's own heading ("The letter") if it has one,
      // so it sits under "Fill in your letter"; otherwise just before the letter.
      var anchor = headingAbove(letter) || letter;
      anchor.parentNode.insertBefore(form, anchor);
      if (anchor !== letter) markBuilderSection(form);
      letter.setAttribute('data-lg-ready', 'true');
    });
  }

  window.lgLetterBuilder = { init: init, letterText: letterText, slugify: slugify };

  if (window.document$ && typeof window.document$.subscribe === 'function') {
    // Material for MkDocs: runs on first load and after every instant navigation.
    window.document$.subscribe(function () { init(); });
  } else if (document.readyState === 'loading') {
    document.addEventListener('DOMContentLoaded', init);
  } else {
    init();
  }
})();
