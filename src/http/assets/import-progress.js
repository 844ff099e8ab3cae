// Live progress of a MARC import on its job page. Without JavaScript the page reloads itself
// (a <meta refresh> inside <noscript>); with it, this polls the job's progress.json, updates the
// status, bar and counts in place, and reloads once when the job has ended to show the report.
/* global window, document */
(function () {
  'use strict';
  var box = document.querySelector('[data-progress-url]');
  if (!box || !window.fetch) return;
  var url = box.getAttribute('data-progress-url');
  var failures = 0;

  function set(sel, text) {
    var el = box.querySelector(sel);
    if (el && el.textContent !== String(text)) el.textContent = String(text);
  }

  function update(p) {
    var badge = box.querySelector('[data-field="status"]');
    if (badge) {
      badge.className = 'badge badge-job-' + p.status;
      badge.textContent = p.statusText;
    }
    set('[data-field="note"]', p.note);
    var bar = box.querySelector('[data-field="bar"]');
    if (bar) {
      if (typeof p.percent === 'number') {
        bar.value = p.percent;
        bar.textContent = p.percent + '%';
      } else if (bar.hasAttribute('value')) {
        bar.removeAttribute('value');
      }
    }
    for (var k in p.summary) {
      if (Object.prototype.hasOwnProperty.call(p.summary, k)) set('[data-count="' + k + '"]', p.summary[k]);
    }
  }

  // Reloads without the one-off notice (`ok=…`) the page was first shown with.
  function reload() {
    var q = window.location.search.replace(/^\?/, '').split('&').filter(function (kv) {
      return kv !== '' && kv.split('=')[0] !== 'ok';
    });
    var next = window.location.pathname + (q.length ? '?' + q.join('&') : '');
    if (next === window.location.pathname + window.location.search) window.location.reload();
    else window.location.replace(next);
  }

  function poll() {
    window.fetch(url, { headers: { accept: 'application/json' }, credentials: 'same-origin', cache: 'no-store' })
      .then(function (r) {
        if (!r.ok) throw new Error('HTTP ' + r.status);
        return r.json();
      })
      .then(function (p) {
        failures = 0;
        update(p);
        if (p.finished) reload();
        else window.setTimeout(poll, 1500);
      })
      .catch(function () {
        // A network hiccup: wait longer each time; after a few, fall back to reloading the page.
        failures += 1;
        if (failures > 5) reload();
        else window.setTimeout(poll, 1500 * failures);
      });
  }

  window.setTimeout(poll, 1000);
})();
