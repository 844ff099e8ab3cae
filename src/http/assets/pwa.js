/* global window, document, navigator, location, caches, setTimeout, HTMLFormElement */
/**
 * On every page (the site works fully without it):
 *
 * - registers the service worker (`/sw.js`), which keeps the public pages a reader opens for
 *   reading offline; the page that was open when it first took control asks to be kept too;
 * - shows the "you are offline" line while the device has no connection;
 * - on the offline page (`/offline`, also shown in place of a page that was not kept), lists the
 *   pages kept on this device and offers to forget them;
 * - forgets the kept pages when someone signs out (a shared phone keeps nothing of theirs).
 *
 * The names of the caches are the service worker's (src/http/assets/sw.js).
 */
(function () {
  'use strict';
  var PAGES = 'lt-pages';
  var MEDIA = 'lt-media';
  var hasCaches = typeof caches !== 'undefined';

  // ------------------------------------------------------------------ the offline line
  var banner = document.querySelector('[data-offline-banner]');
  var isCopy = false;
  function showConnection() {
    if (banner) banner.hidden = !isCopy && navigator.onLine !== false;
  }
  window.addEventListener('online', showConnection);
  window.addEventListener('offline', showConnection);
  showConnection();

  /** Day, month, four-digit year and time, in the page's language and the device's time zone. */
  function dateTime() {
    var opts = { day: '2-digit', month: '2-digit', year: 'numeric', hour: '2-digit', minute: '2-digit' };
    return new Intl.DateTimeFormat(document.documentElement.lang === 'en' ? 'en-GB' : 'vi-VN', opts);
  }

  /** The service worker gave this page instead of the network's answer: say so, and from when. */
  function showCopy(info) {
    if (!banner || !info || !info.served) return;
    isCopy = true;
    var text = banner.querySelector('[data-offline-text]');
    var template = info.saved ? banner.getAttribute(info.served === 'slow' ? 'data-offline-slow' : 'data-offline-copy') : null;
    if (template && text) {
      var time = dateTime().format(new Date(info.saved));
      text.textContent = template.replace('{time}', time);
    }
    showConnection();
  }

  // ---------------------------------------------------------------- the service worker
  var sw = 'serviceWorker' in navigator && window.isSecureContext ? navigator.serviceWorker : null;
  if (sw) {
    var controlled = !!sw.controller;
    sw.register('/sw.js', { scope: '/' }).catch(function () {
      // Private browsing or storage turned off: the site works as before.
    });
    if (controlled && window.MessageChannel) {
      // Whether this page came from the network or is a copy kept on this device, for the other
      // scripts (the reader does not start deep zoom on a copy): `data-page-source` on <html>,
      // "pending" until the worker answers, and the event "lt-page-source" once it has.
      var html = document.documentElement;
      html.setAttribute('data-page-source', 'pending');
      var channel = new window.MessageChannel();
      channel.port1.onmessage = function (e) {
        html.setAttribute('data-page-source', e.data && e.data.served ? 'copy' : 'network');
        document.dispatchEvent(new window.CustomEvent('lt-page-source'));
        showCopy(e.data);
      };
      sw.controller.postMessage({ type: 'status' }, [channel.port2]);
    }
    if (!controlled) {
      var keep = function () {
        sw.removeEventListener('controllerchange', keep);
        if (sw.controller) sw.controller.postMessage(whatThisPageShows());
      };
      sw.addEventListener('controllerchange', keep);
    }
  }

  /** This page, its stylesheets and scripts, and the images it loaded (same site only). */
  function whatThisPageShows() {
    var assets = [];
    var images = [];
    var i;
    var links = document.querySelectorAll('link[rel="stylesheet"], script[src]');
    for (i = 0; i < links.length; i++) assets.push(links[i].href || links[i].src);
    for (i = 0; i < document.images.length; i++) {
      var img = document.images[i];
      if (img.complete && img.naturalWidth > 0) images.push(img.currentSrc || img.src);
    }
    return { type: 'keep', page: location.href, assets: assets, images: images };
  }

  // ------------------------------------------------------------------ signing out
  function forget() {
    if (!hasCaches) return Promise.resolve();
    return Promise.all([caches.delete(PAGES), caches.delete(MEDIA)]);
  }

  document.addEventListener('submit', function (e) {
    var form = e.target;
    // Any sign-out form: /staff/logout, the readers' own; read from the attribute (a field named "action" would hide the property).
    var action = form && form.getAttribute ? form.getAttribute('action') || '' : '';
    if (!hasCaches || e.defaultPrevented || !/\/logout$/.test(new URL(action, location.href).pathname)) return;
    e.preventDefault();
    var sent = false;
    var send = function () {
      if (sent) return;
      sent = true;
      HTMLFormElement.prototype.submit.call(form);
    };
    forget().then(send, send);
    // Never hold up signing out for long.
    setTimeout(send, 1500);
  });

  function safeDecode(s) {
    try {
      return decodeURIComponent(s);
    } catch {
      return s;
    }
  }

  /** An address as people read it: `/search?q=truyện kiều`, not percent signs. */
  function readable(s) {
    try {
      return decodeURI(s).replace(/\+/g, ' ');
    } catch {
      return s;
    }
  }

  // ------------------------------------------------------------------ the offline page
  var page = document.querySelector('[data-offline-page]');
  if (!page) return;

  if (location.pathname !== '/offline') {
    // Shown in place of a page that was not kept: say which one, and offer to try again.
    var missed = page.querySelector('[data-offline-missed]');
    page.querySelector('[data-offline-url]').textContent = readable(location.pathname + location.search);
    page.querySelector('[data-offline-retry]').href = location.href;
    missed.hidden = false;
  }
  if (!hasCaches) return;

  var list = page.querySelector('[data-offline-list]');
  var none = page.querySelector('[data-offline-none]');
  var tools = page.querySelector('[data-offline-tools]');
  var status = page.querySelector('[data-offline-status]');
  var when = dateTime();
  page.querySelector('[data-offline-unsupported]').hidden = true;

  function show(entries) {
    list.textContent = '';
    // Most recently opened first.
    entries.reverse().forEach(function (entry) {
      var li = document.createElement('li');
      var a = document.createElement('a');
      a.href = entry.url;
      a.textContent = entry.title;
      li.appendChild(a);
      var meta = document.createElement('span');
      meta.className = 'offline-meta';
      var u = new URL(entry.url);
      var saved = entry.saved ? list.getAttribute('data-saved').replace('{time}', when.format(new Date(entry.saved))) : '';
      meta.textContent = readable(u.pathname + u.search) + (saved ? ' · ' + saved : '');
      li.appendChild(meta);
      list.appendChild(li);
    });
    list.hidden = entries.length === 0;
    none.hidden = entries.length > 0;
    tools.hidden = entries.length === 0 && !status.textContent;
  }

  function load() {
    return caches
      .open(PAGES)
      .then(function (cache) {
        return cache.keys().then(function (keys) {
          return Promise.all(
            keys.map(function (req) {
              return cache.match(req).then(function (res) {
                var title = res && res.headers.get('x-lt-title');
                return { url: req.url, title: title ? safeDecode(title) : req.url, saved: res && res.headers.get('x-lt-saved') };
              });
            }),
          );
        });
      })
      .then(show, function () {
        show([]);
      });
  }


  page.querySelector('[data-offline-clear]').addEventListener('click', function (e) {
    var button = e.currentTarget;
    forget().then(function () {
      status.textContent = button.getAttribute('data-done');
      button.hidden = true;
      return load();
    });
  });

  load();
})();
