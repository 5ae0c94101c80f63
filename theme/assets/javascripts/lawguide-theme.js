/*
 * lawguide theme: keyboard access to Material's menu (drawer) and search buttons.
 *
 * Material draws both as <label for="__drawer"> / <label for="__search">, which a keyboard
 * cannot reach (WCAG 2.1.1). Without JavaScript the labels stay and still work with a mouse or
 * finger. With JavaScript each label is swapped for a real <button> that:
 *   - menu: opens and closes the drawer, reports aria-expanded, moves focus into the drawer
 *     when it opens, and closes it on Escape (focus returns to the button);
 *   - search: moves focus to the search box, which opens Material's search.
 * Hidden drawer links are taken out of the tab order by CSS (see lawguide.css, theme fixes).
 * Nothing here makes a network request or stores anything.
 */
(function () {
  'use strict';

  function swapForButton(label, name, onClick) {
    var button = document.createElement('button');
    button.type = 'button';
    button.className = label.className + ' lg-header-button';
    // Material shows or hides the label by its for= attribute at each screen width; CSS matches this.
    button.setAttribute('data-lg-for', label.getAttribute('for'));
    button.innerHTML = label.innerHTML;
    button.setAttribute('aria-label', name);
    button.setAttribute('title', name);
    button.addEventListener('click', onClick);
    label.hidden = true;
    label.parentNode.insertBefore(button, label.nextSibling);
    return button;
  }

  function firstLink(container) {
    return container.querySelector('a[href], button, input, [tabindex="0"]');
  }

  function setUpMenu() {
    var toggle = document.getElementById('__drawer');
    var label = document.querySelector('.md-header label.md-header__button[for="__drawer"]');
    var drawer = document.querySelector('.md-sidebar--primary');
    if (!toggle || !label || !drawer || label.hidden) return;
    if (!drawer.id) drawer.id = 'lg-drawer';
    var button = swapForButton(label, 'Menu', function () { toggle.click(); });
    button.setAttribute('aria-controls', drawer.id);
    button.setAttribute('aria-expanded', String(toggle.checked));
    toggle.addEventListener('change', function () {
      button.setAttribute('aria-expanded', String(toggle.checked));
      if (toggle.checked) {
        var target = firstLink(drawer);
        if (target) target.focus();
      }
    });
    document.addEventListener('keydown', function (event) {
      if (event.key === 'Escape' && toggle.checked) {
        toggle.click();
        button.focus();
      }
    });
  }

  function setUpSearch() {
    var label = document.querySelector('.md-header label.md-header__button[for="__search"]');
    var input = document.querySelector('.md-search__input');
    if (!label || !input || label.hidden) return;
    swapForButton(label, 'Search', function () { input.focus(); });
  }

  function init() {
    setUpMenu();
    setUpSearch();
  }

  if (document.readyState === 'loading') {
    document.addEventListener('DOMContentLoaded', init);
  } else {
    init();
  }
})();
