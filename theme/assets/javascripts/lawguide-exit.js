/*
 * lawguide theme: "Exit this page", after GOV.UK Frontend's component (behaviour copied, not code).
 *
 * Loaded only on pages whose front matter says `exit_this_page: true`. The button is a plain link to a
 * neutral page, so it works without JavaScript. With JavaScript:
 *   - it moves to the very start of the page, so it is the first thing Tab reaches (the skip link
 *     comes second), and stays in view while the page scrolls (CSS, class lg-exit-on);
 *   - a click, or the Shift key pressed three times (at most 5 seconds apart; Shift held for another
 *     key does not count), hides the whole page at once, shows only "Loading." and leaves with
 *     location.replace, so this page is taken out of the history and Back does not return to it;
 *   - a screen reader hears "Shift, press 2 more times to exit." as it counts;
 *   - if the browser shows the page again from its cache, it is shown normally again.
 * Nothing here makes a network request or stores anything.
 */
(function () {
  'use strict';

  var TIMEOUT = 5000;
  var box = document.querySelector('[data-lg-exit]');
  if (!box) return;
  var link = box.querySelector('.lg-exit__button');
  var status = box.querySelector('.lg-exit__status');
  if (!link) return;

  document.body.insertBefore(box, document.body.firstChild);
  // Material's "Skip to content" link comes next, inside the same labelled region: a skip link must
  // come before the page's first other link (axe's rule), and it stays second in keyboard order.
  var skip = document.querySelector('[data-md-component="skip"]');
  if (skip) box.appendChild(skip);
  document.documentElement.classList.add('lg-exit-on');

  function setOffset() {
    // The header and sidebars stick below the exit bar, not under it.
    document.documentElement.style.setProperty('--lg-exit-height', box.offsetHeight + 'px');
  }
  setOffset();
  window.addEventListener('resize', setOffset);

  var title = document.title;
  var overlay = null;

  // What it says, in the page's language where the build gave its words (data-lg-exit-* on the box, from
  // glossary/ui-strings.yml); English otherwise. A sentence for each count: no plural rules needed.
  function words(name, english) {
    return box.getAttribute('data-lg-exit-' + name) || english;
  }

  function leave() {
    document.documentElement.classList.add('lg-exiting');
    overlay = document.createElement('div');
    overlay.className = 'lg-exit-overlay';
    overlay.setAttribute('role', 'alert');
    overlay.textContent = words('loading', 'Loading.');
    document.body.appendChild(overlay);
    document.title = words('loading', 'Loading.');
    window.location.replace(link.href);
  }

  link.addEventListener('click', function (event) {
    if (event.button !== 0 || event.ctrlKey || event.metaKey || event.shiftKey || event.altKey) return;
    event.preventDefault();
    leave();
  });

  var presses = 0;
  var timer = null;
  var otherKey = false; // a key pressed while Shift was down: Shift was a modifier, not a press

  function say(text) {
    if (status) status.textContent = text;
  }

  function reset() {
    presses = 0;
    window.clearTimeout(timer);
    timer = null;
  }

  document.addEventListener('keydown', function (event) {
    if (event.key === 'Shift') {
      if (!event.repeat) otherKey = false;
      return;
    }
    otherKey = true;
    if (presses) {
      reset();
      say('');
    }
  });

  document.addEventListener('keyup', function (event) {
    if (event.key !== 'Shift') return;
    if (otherKey) {
      otherKey = false;
      return;
    }
    presses += 1;
    window.clearTimeout(timer);
    if (presses >= 3) {
      reset();
      say(words('loading', 'Loading.'));
      leave();
      return;
    }
    say(presses === 1 ? words('press-2', 'Shift, press 2 more times to exit.')
      : words('press-1', 'Shift, press 1 more time to exit.'));
    timer = window.setTimeout(function () {
      reset();
      say(words('expired', 'Exit this page expired.'));
    }, TIMEOUT);
  });

  // Shown again from the browser's cache (not after location.replace, but after a failed exit): undo.
  window.addEventListener('pageshow', function (event) {
    if (!event.persisted) return;
    document.documentElement.classList.remove('lg-exiting');
    if (overlay && overlay.parentNode) overlay.parentNode.removeChild(overlay);
    overlay = null;
    document.title = title;
    say('');
  });
})();
