/*
 * lawguide route finder (issue 20): with JavaScript on, a flow runs in one page (/finder/FLOW/).
 *
 * The page already holds every question and outcome (render/finder.py): this script only shows one at a
 * time. Without it, every answer is a plain link to the next question's or outcome's own page.
 *
 * Privacy: the answers live only in the address's #fragment ("#answers=0.2.1"), which browsers never send
 * to a server. Nothing is stored (no cookies, no localStorage or sessionStorage, no IndexedDB) and nothing
 * is fetched. "&at=N" says which step is on screen when the reader went Back or chose Change, so the
 * answers after it are kept and the one given before is marked (WCAG 2.2 3.3.7, Redundant Entry).
 * Changing an earlier answer keeps only the later answers to questions still on the new route.
 * Every text shown comes from the page itself and is set with textContent, never as markup.
 */
(function () {
  'use strict';

  var root = document.querySelector('[data-lawguide-finder="flow"]');
  if (!root) return;

  var start = root.getAttribute('data-start');
  var nodes = {};
  Array.prototype.forEach.call(root.querySelectorAll('section[data-node]'), function (section) {
    nodes[section.getAttribute('data-node')] = section;
  });
  if (!nodes[start]) return;
  var summary = root.querySelector('[data-finder-summary]');
  var flowPath = window.location.pathname;
  var titleSuffix = (function () {
    var at = document.title.indexOf(' - ');
    return at >= 0 ? document.title.slice(at) : '';
  })();

  function isQuestion(id) {
    return !!nodes[id] && nodes[id].getAttribute('data-kind') === 'question';
  }

  function answerLinks(id) {
    return nodes[id].querySelectorAll('a.lg-finder__answer');
  }

  function questionText(id) {
    var h = nodes[id].querySelector('h1');
    return h ? h.textContent.trim() : id;
  }

  /* The state in the address: the answers given (answer numbers along the route) and the step shown. */
  function readHash() {
    var match = /^#answers=((?:\d{1,2}(?:\.\d{1,2})*)?)(?:&at=(\d{1,3}))?$/.exec(window.location.hash);
    if (!match) return { answers: [], at: null };
    var answers = match[1] ? match[1].split('.').map(Number) : [];
    return { answers: answers, at: match[2] === undefined ? null : Number(match[2]) };
  }

  function hashFor(answers, at) {
    if (!answers.length) return '';
    return '#answers=' + answers.join('.') + (at < answers.length ? '&at=' + at : '');
  }

  /* Follow the answers from the first question: each step is {question, index, answer text}. An answer
     that does not fit (an edited flow, a hand-made address) ends the route there. */
  function walk(answers) {
    var steps = [];
    var id = start;
    for (var i = 0; i < answers.length && isQuestion(id); i++) {
      var link = answerLinks(id)[answers[i]];
      if (!link) break;
      steps.push({ question: id, index: answers[i], answer: link.textContent.trim() });
      id = link.getAttribute('data-next');
    }
    return { steps: steps, end: id };
  }

  function current() {
    var state = readHash();
    var route = walk(state.answers);
    var at = state.at === null ? route.steps.length : Math.min(state.at, route.steps.length);
    var shown = at < route.steps.length ? route.steps[at].question : route.end;
    return { steps: route.steps, answers: route.steps.map(function (s) { return s.index; }), at: at, shown: shown };
  }

  function go(hash, replace) {
    var url = flowPath + hash;
    if (replace) window.history.replaceState(null, '', url);
    else window.history.pushState(null, '', url);
    render(true);
  }

  function el(tag, className, text) {
    var e = document.createElement(tag);
    if (className) e.className = className;
    if (text !== undefined) e.textContent = text;
    return e;
  }

  /* The answers given, each with a Change link whose accessible name holds the whole question. */
  function answerList(state, upTo) {
    var list = el('ul', 'lg-finder__given');
    state.steps.slice(0, upTo).forEach(function (step, i) {
      var item = el('li');
      item.appendChild(el('span', 'lg-finder__given-q', questionText(step.question) + ' '));
      item.appendChild(el('strong', 'lg-finder__given-a', step.answer));
      item.appendChild(document.createTextNode(' '));
      var change = el('a', 'lg-finder__change', 'Change');
      change.setAttribute('href', flowPath + hashFor(state.answers, i));
      change.setAttribute('data-finder-change', '');
      change.appendChild(el('span', 'lg-sr', ' your answer to: ' + questionText(step.question)));
      item.appendChild(change);
      list.appendChild(item);
    });
    return list;
  }

  function empty(box) {
    while (box.firstChild) box.removeChild(box.firstChild);
  }

  /* Under a question: "Your answers" so far. */
  function renderSummary(state, section) {
    empty(summary);
    summary.hidden = !state.at || section.getAttribute('data-kind') !== 'question';
    if (summary.hidden) return;
    summary.appendChild(el('h2', 'lg-finder__h2', 'Your answers'));
    summary.appendChild(answerList(state, state.at));
    section.parentNode.insertBefore(summary, section.nextSibling); // the question first, then the answers
  }

  /* On an outcome: why it was chosen, each reason with its Change link. */
  function renderBecause(section, state) {
    var box = section.querySelector('[data-finder-because]');
    if (!box) return;
    empty(box);
    box.appendChild(el('p', '', 'Shown because you said:'));
    box.appendChild(answerList(state, state.steps.length));
    box.hidden = !state.steps.length;
  }

  function markGiven(section, state) {
    var given = state.at < state.steps.length ? state.steps[state.at].index : -1;
    Array.prototype.forEach.call(section.querySelectorAll('a.lg-finder__answer'), function (link, i) {
      var mark = link.querySelector('.lg-finder__given-mark');
      if (mark) link.removeChild(mark);
      if (i === given) {
        link.setAttribute('aria-current', 'true');
        link.appendChild(el('span', 'lg-finder__given-mark', ' (your answer)'));
      } else {
        link.removeAttribute('aria-current');
      }
    });
  }

  function render(moved) {
    var state = current();
    Object.keys(nodes).forEach(function (id) {
      nodes[id].hidden = id !== state.shown;
    });
    var section = nodes[state.shown];
    if (!section) return;
    renderSummary(state, section);
    if (section.getAttribute('data-kind') === 'question') markGiven(section, state);
    else renderBecause(section, state);
    var back = section.querySelector('[data-finder-back]');
    if (back) {
      back.setAttribute('href', flowPath + hashFor(state.answers, Math.max(state.at - 1, 0)));
      back.textContent = 'Back';
    }
    var heading = section.querySelector('h1');
    if (heading) {
      document.title = heading.textContent.trim() + titleSuffix;
      if (moved) {
        heading.setAttribute('tabindex', '-1');
        heading.focus();
      }
    }
  }

  function choose(link) {
    var state = current();
    var section = link.closest('section[data-node]');
    if (!section || section.getAttribute('data-node') !== state.shown) return;
    var index = Number(link.getAttribute('data-answer'));
    var answers;
    var at;
    if (state.at < state.answers.length && state.answers[state.at] === index) {
      answers = state.answers; // the same answer again: the rest of the route still applies
      at = state.at + 1;
    } else {
      // A new answer: keep the later answers only for questions still on the new route.
      var earlier = {};
      state.steps.slice(state.at + 1).forEach(function (step) { earlier[step.question] = step.index; });
      answers = state.answers.slice(0, state.at).concat([index]);
      var id = link.getAttribute('data-next');
      var seen = {};
      while (isQuestion(id) && Object.prototype.hasOwnProperty.call(earlier, id) && !seen[id]) {
        seen[id] = true;
        var next = answerLinks(id)[earlier[id]];
        if (!next) break;
        answers.push(earlier[id]);
        id = next.getAttribute('data-next');
      }
      at = answers.length; // on to the first question not yet answered, or the outcome
    }
    // This step keeps the answer just given, so the browser's Back button returns here with it marked.
    window.history.replaceState(null, '', flowPath + hashFor(answers, state.at));
    go(hashFor(answers, at));
  }

  root.addEventListener('click', function (event) {
    if (event.button !== 0 || event.ctrlKey || event.metaKey || event.shiftKey || event.altKey) return;
    var target = event.target.closest ? event.target.closest('a') : null;
    if (!target || !root.contains(target)) return;
    if (target.classList.contains('lg-finder__answer')) {
      event.preventDefault();
      choose(target);
    } else if (target.hasAttribute('data-finder-restart')) {
      event.preventDefault();
      go('', true); // Start again: the answers leave the address, with no new history entry
    } else if (target.hasAttribute('data-finder-back') || target.hasAttribute('data-finder-change')) {
      event.preventDefault();
      go(target.getAttribute('href').slice(flowPath.length));
    }
  });
  window.addEventListener('popstate', function () { render(true); });
  window.addEventListener('hashchange', function () { render(true); });
  root.classList.add('lg-finder--js');
  render(false);
})();
