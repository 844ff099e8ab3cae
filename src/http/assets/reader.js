/* global document, window, navigator, history, location, fetch, URLSearchParams, setTimeout, clearTimeout */
/**
 * The digital reader, improved when JavaScript runs (the page works fully without it):
 *
 * - deep zoom: OpenSeadragon (loaded only now, from our own assets) over the page's IIIF image
 *   service, tiles on demand; it replaces the page image only once it has drawn the page, and
 *   is not loaded at all on a data-saving connection until the reader asks for it;
 * - turning pages without reloading: swipe (when not zoomed in), ← and → keys, and the page's
 *   own links, with the address kept in step (history.replaceState);
 * - pinch and Ctrl+wheel zoom, one finger still scrolling the page (cooperative gestures);
 * - the hits of a search inside the document drawn over the page, from the IIIF Content Search
 *   service's word boxes (image pixels, placed in OpenSeadragon's image coordinates);
 * - copying the link to the page.
 *
 * On a copy kept for reading offline, deep zoom waits to be asked for (`data-zoom-state="offline"`).
 * Motion follows prefers-reduced-motion. Every failure leaves the plain page as it was.
 */
(function () {
  'use strict';
  var root = document.querySelector('[data-reader]');
  if (!root) return;
  var d = root.dataset;
  var objectId = d.object;
  var view = d.view;
  var q = d.q || '';
  var seqs = expand(d.seqs || '');
  var seq = Number(d.seq);
  var reduceMotion = !!(window.matchMedia && window.matchMedia('(prefers-reduced-motion: reduce)').matches);
  var stage = root.querySelector('[data-stage]');
  var box = root.querySelector('[data-page-box]');
  var img = root.querySelector('[data-page-image]');
  var zoomBar = root.querySelector('[data-zoom-bar]');
  var status = root.querySelector('[data-zoom-status]');
  var viewer = null;
  var osdEl = null;
  var shown = false;
  var size = img ? { w: Number(img.dataset.width), h: Number(img.dataset.height) } : null;
  var hits = null;
  var whole = true;
  var rehome = false;

  /** `1-3,5` → [1, 2, 3, 5] */
  function expand(text) {
    var out = [];
    text.split(',').forEach(function (part) {
      var m = /^(\d+)(?:-(\d+))?$/.exec(part);
      if (!m) return;
      var a = Number(m[1]);
      var b = m[2] ? Number(m[2]) : a;
      for (var i = a; i <= b && out.length < 100000; i++) out.push(i);
    });
    return out;
  }

  function pageHref(s) {
    var p = new URLSearchParams();
    p.set('page', String(s));
    if (view === 'text') p.set('view', 'text');
    if (q) p.set('q', q);
    return '/digital/' + objectId + '?' + p.toString();
  }

  function neighbour(step) {
    var i = seqs.indexOf(seq);
    return i < 0 ? undefined : seqs[i + step];
  }

  // ------------------------------------------------------------------ the page's links and labels

  function updateChrome() {
    var prev = neighbour(-1);
    var next = neighbour(1);
    root.querySelectorAll('[data-prev]').forEach(function (a) {
      setLink(a, prev);
    });
    root.querySelectorAll('[data-next]').forEach(function (a) {
      setLink(a, next);
    });
    root.querySelectorAll('[data-page-of-text]').forEach(function (el) {
      el.textContent = (d.pageOf || '').replace('{page}', String(seq));
    });
    root.querySelectorAll('[data-jump]').forEach(function (el) {
      el.value = String(seq);
    });
    root.querySelectorAll('[data-view-link]').forEach(function (a) {
      var p = new URLSearchParams();
      p.set('page', String(seq));
      if (a.getAttribute('data-view-link') === 'text') p.set('view', 'text');
      if (q) p.set('q', q);
      a.href = '/digital/' + objectId + '?' + p.toString();
    });
    document.querySelectorAll('[data-thumb]').forEach(function (a) {
      if (Number(a.getAttribute('data-thumb')) === seq) a.setAttribute('aria-current', 'page');
      else a.removeAttribute('aria-current');
    });
    document.querySelectorAll('[data-hit-page]').forEach(function (li) {
      if (Number(li.getAttribute('data-hit-page')) === seq) li.setAttribute('aria-current', 'page');
      else li.removeAttribute('aria-current');
    });
    var share = document.querySelector('[data-share]');
    if (share) share.value = (share.getAttribute('data-site') || location.origin) + '/digital/' + objectId + '?page=' + seq;
    if (d.pageTitle) document.title = d.pageTitle.replace('{page}', String(seq));
    if (osdEl && d.alt) osdEl.setAttribute('aria-label', d.alt.replace('{page}', String(seq)));
  }

  function setLink(a, s) {
    if (s === undefined) {
      a.removeAttribute('href');
      a.setAttribute('aria-disabled', 'true');
    } else {
      a.href = pageHref(s);
      a.removeAttribute('aria-disabled');
    }
  }

  /** Another page: in place when the zoom viewer shows the page, otherwise by loading it. */
  function go(s) {
    if (s === undefined || s === seq) return;
    if (!viewer || !shown) {
      location.assign(pageHref(s));
      return;
    }
    seq = s;
    updateChrome();
    history.replaceState(null, '', pageHref(s));
    info(s).then(
      function (tileSource) {
        if (seq !== s) return;
        size = { w: tileSource.width, h: tileSource.height };
        fit();
        viewer.open(tileSource);
      },
      function () {
        location.assign(pageHref(s));
      },
    );
  }

  // The page's own previous and next links turn the page in place too.
  root.addEventListener('click', function (e) {
    var a = e.target && e.target.closest ? e.target.closest('[data-prev], [data-next]') : null;
    if (!a || !a.getAttribute('href') || !viewer || !shown || e.ctrlKey || e.metaKey || e.shiftKey || e.button) return;
    e.preventDefault();
    go(neighbour(a.hasAttribute('data-prev') ? -1 : 1));
  });

  document.addEventListener('keydown', function (e) {
    if (e.defaultPrevented || e.altKey || e.ctrlKey || e.metaKey || e.shiftKey) return;
    var t = e.target;
    if (t && (t.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(t.tagName))) return;
    if (osdEl && osdEl.contains(t) && !atHome()) return; // the arrows pan a zoomed page
    if (e.key === 'ArrowRight') go(neighbour(1));
    else if (e.key === 'ArrowLeft') go(neighbour(-1));
    else return;
    e.preventDefault();
  });

  function isWhole() {
    var vp = viewer.viewport;
    return vp.getZoom() <= vp.getHomeZoom() * 1.05;
  }

  function atHome() {
    return !viewer || !shown || isWhole();
  }

  // A horizontal swipe over the page turns it (not while zoomed in: then the fingers move the page).
  if (stage) {
    var touch = null;
    stage.addEventListener(
      'touchstart',
      function (e) {
        touch = e.touches.length === 1 ? { x: e.touches[0].clientX, y: e.touches[0].clientY, t: Date.now(), home: atHome() } : null;
      },
      { passive: true },
    );
    stage.addEventListener(
      'touchmove',
      function (e) {
        if (e.touches.length > 1) touch = null;
      },
      { passive: true },
    );
    stage.addEventListener(
      'touchend',
      function (e) {
        if (!touch || e.touches.length > 0) return;
        var c = e.changedTouches[0];
        var dx = c.clientX - touch.x;
        var dy = c.clientY - touch.y;
        var quick = Date.now() - touch.t < 800;
        var home = touch.home && atHome();
        touch = null;
        if (quick && home && Math.abs(dx) > 60 && Math.abs(dx) > 2 * Math.abs(dy)) go(neighbour(dx < 0 ? 1 : -1));
      },
      { passive: true },
    );
  }

  // ------------------------------------------------------------------ the link to this page

  var shareInput = document.querySelector('[data-share]');
  var copy = document.querySelector('[data-copy]');
  var copyStatus = document.querySelector('[data-copy-status]');
  if (shareInput) {
    shareInput.addEventListener('focus', function () {
      shareInput.select();
    });
  }
  if (shareInput && copy) {
    copy.hidden = false;
    copy.addEventListener('click', function () {
      var done = function () {
        if (copyStatus) copyStatus.textContent = d.copied || '';
      };
      if (navigator.clipboard && window.isSecureContext) {
        navigator.clipboard.writeText(shareInput.value).then(done, function () {
          shareInput.select();
        });
      } else {
        shareInput.select();
        try {
          if (document.execCommand('copy')) done();
        } catch {
          // the text stays selected for the reader to copy
        }
      }
    });
  }

  // The strip of thumbnails scrolled so that the current page is in the middle.
  var strip = document.querySelector('ol.thumb-strip');
  var here = strip && strip.querySelector('a[aria-current="page"]');
  if (here && strip.scrollWidth > strip.clientWidth) {
    strip.scrollLeft += here.getBoundingClientRect().left - strip.getBoundingClientRect().left - (strip.clientWidth - here.offsetWidth) / 2;
  }

  // ------------------------------------------------------------------ deep zoom

  if (!stage || !box || !img || view !== 'image') return;

  /** The page's IIIF image description, its id made local (the server's public address may differ from how it was reached). */
  function info(s) {
    var base = '/iiif/3/' + objectId + '-' + s;
    return fetch(base + '/info.json', { credentials: 'same-origin', headers: { Accept: 'application/json' } })
      .then(function (r) {
        if (!r.ok) throw new Error('info.json ' + r.status);
        return r.json();
      })
      .then(function (json) {
        json.id = location.origin + base;
        if (json['@id']) json['@id'] = json.id;
        return json;
      });
  }

  function loadScript(src) {
    return new Promise(function (resolve, reject) {
      if (window.OpenSeadragon) return resolve();
      var s = document.createElement('script');
      s.src = src;
      s.onload = function () {
        resolve();
      };
      s.onerror = reject;
      document.head.appendChild(s);
    });
  }

  /** The viewer as tall as the page at the stage's width, never more than most of the screen. */
  function fit() {
    if (!osdEl || !size || !size.w) return;
    var width = stage.clientWidth || window.innerWidth;
    var height = Math.min(window.innerHeight * 0.8, (width * size.h) / size.w);
    osdEl.style.height = Math.max(240, Math.round(height)) + 'px';
  }

  function say(text) {
    if (status) status.textContent = text || '';
  }

  function button(kind) {
    return zoomBar ? zoomBar.querySelector('[data-zoom="' + kind + '"]') : null;
  }

  function start() {
    if (viewer || osdEl) return;
    var startBox = root.querySelector('[data-zoom-start]');
    if (startBox) startBox.hidden = true;
    Promise.all([loadScript(d.osd), info(seq)])
      .then(function (results) {
        var tileSource = results[1];
        var OSD = window.OpenSeadragon;
        // OpenSeadragon adds an inline <style> for touch screens (which our Content Security Policy
        // refuses) unless it finds one. It finds this marker: a "style" element of no namespace the
        // browser styles with, so it is never parsed as CSS; reader.css has the rule itself.
        if (!document.querySelector('style[data-openseadragon-mobile-css]')) {
          var marker = document.createElementNS('urn:x-lienthong:inert', 'style');
          marker.setAttribute('data-openseadragon-mobile-css', 'true');
          document.head.appendChild(marker);
        }
        [
          ['Tooltips.ZoomIn', 'in'],
          ['Tooltips.ZoomOut', 'out'],
          ['Tooltips.Home', 'home'],
          ['Tooltips.FullPage', 'full'],
        ].forEach(function (pair) {
          var b = button(pair[1]);
          if (b) OSD.setString(pair[0], b.getAttribute('aria-label') || '');
        });
        if (d.hintTouch) OSD.setString('GestureHints.Touch', d.hintTouch);
        if (d.hintScroll) OSD.setString('GestureHints.Scroll', d.hintScroll);
        size = { w: tileSource.width, h: tileSource.height };
        osdEl = document.createElement('div');
        osdEl.className = 'osd';
        osdEl.setAttribute('role', 'group');
        osdEl.setAttribute('aria-label', d.alt ? d.alt.replace('{page}', String(seq)) : img.alt);
        stage.insertBefore(osdEl, box);
        fit();
        viewer = OSD({
          element: osdEl,
          prefixUrl: d.osdPrefix,
          tileSources: tileSource,
          drawer: 'canvas',
          showNavigationControl: true,
          zoomInButton: button('in'),
          zoomOutButton: button('out'),
          homeButton: button('home'),
          fullPageButton: button('full'),
          showRotationControl: false,
          cooperativeGestures: true,
          visibilityRatio: 1,
          constrainDuringPan: true,
          maxZoomPixelRatio: 2,
          imageLoaderLimit: 4,
          blendTime: 0,
          animationTime: reduceMotion ? 0 : 0.8,
          springStiffness: reduceMotion ? 100 : 7,
          gestureSettingsMouse: { clickToZoom: false, dblClickToZoom: true },
          gestureSettingsTouch: { pinchToZoom: true, flickEnabled: !reduceMotion, dblClickToZoom: true, clickToZoom: false },
        });
        // A page shown whole stays whole when the screen turns or the window changes size.
        viewer.addHandler('animation-finish', function () {
          whole = isWhole();
        });
        // (After OpenSeadragon's own resize has kept the old zoom and centre: the next viewport change.)
        viewer.addHandler('after-resize', function () {
          rehome = whole;
        });
        viewer.addHandler('viewport-change', function () {
          if (!rehome) return;
          rehome = false;
          viewer.viewport.goHome(true);
        });
        viewer.addHandler('open', onOpen);
        // A tile that cannot be had before the page is drawn (the connection lost): the plain image stays.
        viewer.addHandler('tile-load-failed', function () {
          if (!shown) stop();
        });
        viewer.addHandler('open-failed', function () {
          if (shown) location.assign(pageHref(seq));
          else stop();
        });
        window.addEventListener('resize', fit);
      })
      .catch(stop);
  }

  /** Shows the viewer in place of the image once the page is drawn (or soon after it opened). */
  function onOpen() {
    var item = viewer.world.getItemAt(0);
    whole = true;
    drawHits();
    if (shown || !item) return;
    var reveal = function () {
      if (shown || !viewer) return;
      shown = true;
      root.classList.add('osd-on');
      if (zoomBar) zoomBar.hidden = false;
      say('');
    };
    if (item.getFullyLoaded && item.getFullyLoaded()) reveal();
    else {
      item.addOnceHandler('fully-loaded-change', reveal);
      setTimeout(reveal, 8000);
    }
  }

  /** Back to the plain image, as if the script had never run (the failure is said). */
  function stop() {
    if (viewer) {
      try {
        viewer.destroy();
      } catch {
        // nothing more to undo
      }
    }
    viewer = null;
    if (osdEl && osdEl.parentNode) osdEl.parentNode.removeChild(osdEl);
    osdEl = null;
    shown = false;
    root.classList.remove('osd-on');
    if (zoomBar) zoomBar.hidden = true;
    say(status && status.getAttribute('data-failed'));
  }

  // ------------------------------------------------------------------ search hits over the page

  /** Every hit's box by page, from the Content Search service (following its pages, within reason). */
  function loadHits() {
    if (hits || !q) return Promise.resolve(hits);
    var found = {};
    var fetchPage = function (n) {
      var url = '/iiif/3/' + objectId + '/search?q=' + encodeURIComponent(q) + (n > 1 ? '&page=' + n : '');
      return fetch(url, { credentials: 'same-origin', headers: { Accept: 'application/json' } })
        .then(function (r) {
          if (!r.ok) throw new Error('search ' + r.status);
          return r.json();
        })
        .then(function (doc) {
          (doc.items || []).forEach(function (item) {
            var targets = Array.isArray(item.target) ? item.target : [item.target];
            targets.forEach(function (t) {
              var id = typeof t === 'string' ? t : t && (t.id || (t.source && (t.source.id || t.source)));
              var m = /\/canvas\/(\d+)#xywh=(\d+),(\d+),(\d+),(\d+)/.exec(String(id || ''));
              if (!m) return;
              (found[m[1]] = found[m[1]] || []).push({ x: +m[2], y: +m[3], w: +m[4], h: +m[5] });
            });
          });
          if (doc.next && n < 20) return fetchPage(n + 1);
          return undefined;
        });
    };
    return fetchPage(1).then(
      function () {
        hits = found;
        return hits;
      },
      function () {
        hits = found;
        return hits;
      },
    );
  }

  function drawHits() {
    if (!q || !viewer) return;
    var forSeq = seq;
    loadHits().then(function (all) {
      if (!viewer || forSeq !== seq || !viewer.world.getItemAt(0)) return;
      viewer.clearOverlays();
      (all[String(seq)] || []).forEach(function (b) {
        var el = document.createElement('div');
        el.className = 'hit-overlay';
        viewer.addOverlay({ element: el, location: viewer.viewport.imageToViewportRectangle(b.x, b.y, b.w, b.h) });
      });
    });
  }

  // Start once the page image has arrived; on a data-saving or very slow connection, when asked.
  var c = navigator.connection;
  var frugal = !!(c && (c.saveData || /(^|-)2g$/.test(c.effectiveType || '')));
  if (frugal) offer(start);
  else if (document.readyState === 'complete') begin();
  else window.addEventListener('load', begin);

  /** Shows the "zoom into the page" button, which calls `go` (start() hides it again). */
  function offer(go) {
    var ask = root.querySelector('[data-zoom-start]');
    if (!ask) return null;
    ask.hidden = false;
    var b = ask.querySelector('button');
    b.addEventListener('click', go);
    return b;
  }

  /**
   * Starts now; but on a copy of the page kept on this device (shown without a connection, or
   * because the network was too slow) the kept page image is whole while most tiles were never
   * loaded and would draw as blanks: the reader is offered the button instead, and deep zoom
   * starts by itself when the device says it is back online.
   */
  function begin() {
    var source = document.documentElement.getAttribute('data-page-source');
    if (source === 'pending') {
      // The service worker's answer (pwa.js), which comes at once; not forever, though.
      var go = function () {
        document.removeEventListener('lt-page-source', go);
        clearTimeout(timer);
        if (document.documentElement.getAttribute('data-page-source') === 'pending') document.documentElement.setAttribute('data-page-source', 'unknown');
        begin();
      };
      var timer = setTimeout(go, 3000);
      document.addEventListener('lt-page-source', go);
      return;
    }
    if (source !== 'copy' && navigator.onLine !== false) return start();
    root.setAttribute('data-zoom-state', 'offline');
    var resume = function () {
      window.removeEventListener('online', resume);
      if (button) button.removeEventListener('click', resume);
      root.removeAttribute('data-zoom-state');
      start();
    };
    var button = offer(resume);
    window.addEventListener('online', resume);
  }
})();
