/* global document, window, setTimeout, clearTimeout */
/**
 * Autocomplete for the search box: as the reader types (150 ms after the last key), titles,
 * authors and subjects starting with the text come from /api/v1/search/suggest and are offered
 * in a listbox under the box (the ARIA 1.2 combobox pattern). Arrow keys move through them,
 * Enter chooses one and searches, Escape closes the list; a click or tap chooses too. Without
 * this script the box is a plain search form.
 */
(function () {
  'use strict';
  var box = document.querySelector('.search-box[data-suggest-url]');
  var input = box && box.querySelector('input[role="combobox"]');
  var list = box && box.querySelector('[role="listbox"]');
  if (!input || !list || !window.fetch) return;
  var form = input.form;
  var status = form && form.querySelector('[data-suggest-status]');
  var url = box.getAttribute('data-suggest-url');
  var kinds = {
    title: box.getAttribute('data-kind-title') || '',
    author: box.getAttribute('data-kind-author') || '',
    subject: box.getAttribute('data-kind-subject') || ''
  };
  var countText = box.getAttribute('data-count-text') || '{count}';
  var items = [];
  var active = -1;
  var timer = null;
  var seq = 0;
  var controller = null;
  var lastAsked = null;

  function say(text) {
    if (status) status.textContent = text;
  }

  function isOpen() {
    return !list.hidden;
  }

  function close() {
    list.hidden = true;
    input.setAttribute('aria-expanded', 'false');
    input.removeAttribute('aria-activedescendant');
    active = -1;
  }

  function setActive(i) {
    var options = list.querySelectorAll('[role="option"]');
    for (var k = 0; k < options.length; k++) options[k].setAttribute('aria-selected', k === i ? 'true' : 'false');
    active = i;
    if (i >= 0 && options[i]) {
      input.setAttribute('aria-activedescendant', options[i].id);
      if (options[i].scrollIntoView) options[i].scrollIntoView({ block: 'nearest' });
    } else {
      input.removeAttribute('aria-activedescendant');
    }
  }

  /** What a chosen heading searches for: a title's words, or the author or subject as a phrase. */
  function queryFor(item) {
    var text = String(item.heading).replace(/["\u201c\u201d\u201e]/g, ' ').replace(/\s+/g, ' ').trim();
    if (item.kind === 'author' || item.kind === 'subject') return item.kind + ':"' + text + '"';
    return text;
  }

  function choose(i) {
    var item = items[i];
    if (!item) return;
    input.value = queryFor(item);
    close();
    if (form) {
      if (form.requestSubmit) form.requestSubmit();
      else form.submit();
    }
  }

  function render(found) {
    items = found;
    while (list.firstChild) list.removeChild(list.firstChild);
    if (found.length === 0) {
      close();
      say('');
      return;
    }
    found.forEach(function (item, i) {
      var li = document.createElement('li');
      li.id = 'search-suggest-' + i;
      li.className = 'suggest-option';
      li.setAttribute('role', 'option');
      li.setAttribute('aria-selected', 'false');
      var heading = document.createElement('span');
      heading.className = 'heading';
      heading.textContent = item.heading;
      var kind = document.createElement('span');
      kind.className = 'kind';
      kind.textContent = kinds[item.kind] || '';
      li.appendChild(heading);
      li.appendChild(kind);
      // mousedown would take the focus from the box before the click lands.
      li.addEventListener('mousedown', function (e) {
        e.preventDefault();
      });
      li.addEventListener('click', function () {
        choose(i);
      });
      list.appendChild(li);
    });
    list.hidden = false;
    input.setAttribute('aria-expanded', 'true');
    setActive(-1);
    say(countCopy(found.length));
  }

  /** The message with its number, and `{count|one|other}` as the server's translator reads it. */
  function countCopy(n) {
    return countText
      .replace(/\{count\|([^{}|]*)\|([^{}|]*)\}/g, function (_, one, other) {
        return n === 1 ? one : other;
      })
      .replace(/\{count\}/g, String(n));
  }

  function ask() {
    var text = input.value;
    if (text === lastAsked) return;
    lastAsked = text;
    if (text.trim().length < 2) {
      render([]);
      return;
    }
    var mine = ++seq;
    if (controller) controller.abort();
    controller = window.AbortController ? new window.AbortController() : null;
    window
      .fetch(url + '?q=' + encodeURIComponent(text.slice(0, 200)) + '&limit=8', { headers: { accept: 'application/json' }, credentials: 'same-origin', signal: controller ? controller.signal : undefined })
      .then(function (res) {
        return res.ok ? res.json() : [];
      })
      .then(function (found) {
        if (mine !== seq || document.activeElement !== input) return;
        render(Array.isArray(found) ? found : []);
        // What the list shows suggestions for (tests wait for it).
        input.setAttribute('data-suggested-for', text);
      })
      .catch(function () {
        /* aborted or offline: the plain form still works */
      });
  }

  input.addEventListener('input', function () {
    if (timer) clearTimeout(timer);
    timer = setTimeout(ask, 150);
  });

  input.addEventListener('keydown', function (e) {
    var n = items.length;
    switch (e.key) {
      case 'ArrowDown':
      case 'Down':
        if (n === 0) return;
        e.preventDefault();
        if (!isOpen()) {
          list.hidden = false;
          input.setAttribute('aria-expanded', 'true');
        }
        setActive(active + 1 >= n ? 0 : active + 1);
        break;
      case 'ArrowUp':
      case 'Up':
        if (n === 0 || !isOpen()) return;
        e.preventDefault();
        setActive(active - 1 < 0 ? n - 1 : active - 1);
        break;
      case 'Enter':
        if (isOpen() && active >= 0) {
          e.preventDefault();
          choose(active);
        }
        break;
      case 'Escape':
      case 'Esc':
        if (isOpen()) {
          e.preventDefault();
          close();
        }
        break;
      case 'Tab':
        close();
        break;
      default:
        break;
    }
  });

  input.addEventListener('blur', function () {
    setTimeout(close, 150);
  });

  if (form) {
    form.addEventListener('submit', function () {
      if (timer) clearTimeout(timer);
      seq++;
      close();
    });
  }
})();
