// Resumable uploads of page images and PDFs on a digital object's staff page.
//
// Without JavaScript the form posts the files as multipart/form-data and the server streams them
// to disk. With it, each file goes up in 8 MiB chunks (PUT with Content-Range) to an upload the
// server keeps on disk: a failed chunk is tried again with a growing pause, the server's count of
// bytes received is always where the next chunk starts, and the upload's id is remembered in
// localStorage so choosing the same file again after a reload (or a crash) continues where it
// stopped. A progress bar per file; the page reloads once every file has been added.
//
// It also watches the object's processing while it runs and reloads the page when it ends,
// unless someone is typing or uploading.
/* global window, document, XMLHttpRequest */
(function () {
  'use strict';
  var CHUNK = 8 * 1024 * 1024;
  var MAX_TRIES = 12;

  var texts = (function () {
    var t = document.getElementById('upload-texts');
    var get = function (k) {
      return (t && t.getAttribute('data-' + k)) || '';
    };
    return get;
  })();

  function storage() {
    try {
      var s = window.localStorage;
      s.setItem('lt-upload-probe', '1');
      s.removeItem('lt-upload-probe');
      return s;
    } catch {
      return null;
    }
  }
  var store = storage();

  function percent(n, total) {
    return total > 0 ? Math.floor((100 * n) / total) : 0;
  }

  function sizeText(n) {
    var units = ['B', 'KB', 'MB', 'GB', 'TB'];
    var i = 0;
    while (n >= 1024 && i < units.length - 1) {
      n /= 1024;
      i++;
    }
    return (i === 0 ? String(n) : n.toFixed(1)) + ' ' + units[i];
  }

  function wait(ms) {
    return new Promise(function (resolve) {
      window.setTimeout(resolve, ms);
    });
  }

  /** One request; resolves with {status, body} (body parsed as JSON when it is), rejects on a network failure. */
  function request(method, url, opts) {
    return new Promise(function (resolve, reject) {
      var xhr = new XMLHttpRequest();
      xhr.open(method, url, true);
      xhr.setRequestHeader('accept', 'application/json');
      xhr.setRequestHeader('x-csrf-token', opts.csrf);
      if (opts.type) xhr.setRequestHeader('content-type', opts.type);
      if (opts.range) xhr.setRequestHeader('content-range', opts.range);
      if (opts.onProgress && xhr.upload) {
        xhr.upload.onprogress = function (e) {
          opts.onProgress(e.loaded);
        };
      }
      if (opts.item) opts.item.xhr = xhr;
      xhr.onload = function () {
        var body;
        try {
          body = xhr.responseText ? JSON.parse(xhr.responseText) : null;
        } catch {
          body = null;
        }
        resolve({ status: xhr.status, body: body });
      };
      xhr.onerror = function () {
        reject(new Error('network'));
      };
      xhr.onabort = function () {
        reject(new Error('abort'));
      };
      xhr.ontimeout = function () {
        reject(new Error('timeout'));
      };
      xhr.send(opts.body === undefined ? null : opts.body);
    });
  }

  function errorMessage(res) {
    return (res && res.body && res.body.error && res.body.error.message) || texts('failed') + ' (HTTP ' + (res ? res.status : '?') + ')';
  }

  function setupUploader(form) {
    var base = form.getAttribute('data-resumable');
    var max = Number(form.getAttribute('data-max-bytes')) || Infinity;
    var objectId = form.getAttribute('data-object');
    var input = form.querySelector('input[type="file"]');
    var list = form.querySelector('.upload-list');
    var csrfInput = form.querySelector('input[name="_csrf"]');
    var csrf = csrfInput ? csrfInput.value : '';
    var button = form.querySelector('button[type="submit"]');
    if (!base || !input || !list || !window.Promise) return;
    var active = 0;

    function key(file) {
      return 'lt-upload:' + objectId + ':' + file.name + ':' + file.size + ':' + (file.lastModified || 0);
    }
    function remember(file, id) {
      if (store) store.setItem(key(file), JSON.stringify({ id: id, name: file.name, size: file.size, at: Date.now() }));
    }
    function forget(file) {
      if (store) store.removeItem(key(file));
    }
    function recalled(file) {
      if (!store) return null;
      try {
        var v = JSON.parse(store.getItem(key(file)) || 'null');
        return v && typeof v.id === 'string' && /^[0-9a-f]{32}$/.test(v.id) ? v.id : null;
      } catch {
        return null;
      }
    }

    function item(file) {
      var li = document.createElement('li');
      li.className = 'upload-item';
      var name = document.createElement('span');
      name.className = 'upload-name';
      name.textContent = file.name + ' · ' + sizeText(file.size);
      var cancel = document.createElement('button');
      cancel.type = 'button';
      cancel.className = 'secondary';
      cancel.textContent = texts('cancel');
      var bar = document.createElement('progress');
      bar.max = 100;
      bar.value = 0;
      bar.setAttribute('aria-label', file.name);
      var status = document.createElement('span');
      status.className = 'upload-status';
      li.appendChild(name);
      li.appendChild(cancel);
      li.appendChild(bar);
      li.appendChild(status);
      list.appendChild(li);
      list.hidden = false;
      var it = { li: li, bar: bar, status: status, cancel: cancel, cancelled: false, xhr: null, id: null };
      cancel.addEventListener('click', function () {
        it.cancelled = true;
        if (it.xhr) it.xhr.abort();
        if (it.id) request('DELETE', base + '/' + it.id, { csrf: csrf }).catch(function () {});
        forget(file);
        li.parentNode.removeChild(li);
      });
      return it;
    }

    function show(it, text, cls) {
      it.status.textContent = text;
      if (cls) it.li.className = 'upload-item ' + cls;
    }

    /** Opens the upload, or takes up the one remembered for this file. Resolves with {id, received}. */
    function open(file, it) {
      var known = recalled(file);
      var fresh = function () {
        return request('POST', base, { csrf: csrf, type: 'application/json', body: JSON.stringify({ name: file.name, size: file.size }) }).then(function (res) {
          if (res.status !== 201 || !res.body || !res.body.id) throw new Error(errorMessage(res));
          remember(file, res.body.id);
          return { id: res.body.id, received: 0 };
        });
      };
      if (!known) return fresh();
      return request('GET', base + '/' + known, { csrf: csrf }).then(function (res) {
        if (res.status === 200 && res.body && res.body.size === file.size) {
          show(it, texts('resumed'));
          return { id: known, received: res.body.received };
        }
        forget(file);
        return fresh();
      });
    }

    /** Sends the file from where the server is; the server's count decides every next chunk. */
    function send(file, it, id, start) {
      var offset = start;
      var tries = 0;
      function step() {
        if (it.cancelled) return Promise.reject(new Error('abort'));
        if (offset >= file.size) return Promise.resolve();
        var end = Math.min(offset + CHUNK, file.size) - 1;
        var from = offset;
        show(it, texts('uploading') + ' ' + percent(offset, file.size) + '%', 'is-uploading');
        return request('PUT', base + '/' + id, {
          csrf: csrf,
          type: 'application/octet-stream',
          range: 'bytes ' + from + '-' + end + '/' + file.size,
          body: file.slice(from, end + 1),
          item: it,
          onProgress: function (loaded) {
            it.bar.value = percent(from + loaded, file.size);
          },
        }).then(
          function (res) {
            if ((res.status === 200 || res.status === 409) && res.body && typeof res.body.received === 'number') {
              tries = 0;
              offset = res.body.received;
              it.bar.value = percent(offset, file.size);
              return step();
            }
            if (res.status >= 500 || res.status === 429 || res.status === 0) return retry();
            throw new Error(errorMessage(res));
          },
          function (e) {
            if (it.cancelled) throw e;
            return retry();
          },
        );
      }
      function retry() {
        tries += 1;
        if (tries > MAX_TRIES) throw new Error(texts('failed'));
        show(it, texts('retrying'));
        // 1 s, 2 s, 4 s … at most 30 s; then ask the server how much it holds.
        return wait(Math.min(30000, 1000 * Math.pow(2, tries - 1))).then(function () {
          return request('GET', base + '/' + id, { csrf: csrf }).then(
            function (res) {
              if (res.status === 200 && res.body) offset = res.body.received;
              else if (res.status === 404) throw new Error(errorMessage(res));
              return step();
            },
            function () {
              return step();
            },
          );
        });
      }
      return step();
    }

    function finish(file, it, id) {
      show(it, texts('finishing'));
      return request('POST', base + '/' + id + '/finish', { csrf: csrf }).then(function (res) {
        if (res.status === 201) return res.body;
        if (res.status === 409 && res.body && typeof res.body.received === 'number') {
          return send(file, it, id, res.body.received).then(function () {
            return finish(file, it, id);
          });
        }
        forget(file);
        throw new Error(errorMessage(res));
      });
    }

    function upload(file) {
      var it = item(file);
      if (file.size > max) {
        show(it, texts('too-large'), 'is-error');
        return Promise.resolve(false);
      }
      if (file.size === 0) {
        show(it, texts('failed'), 'is-error');
        return Promise.resolve(false);
      }
      return open(file, it)
        .then(function (u) {
          it.id = u.id;
          return send(file, it, u.id, u.received).then(function () {
            return finish(file, it, u.id);
          });
        })
        .then(function () {
          forget(file);
          it.bar.value = 100;
          it.cancel.hidden = true;
          show(it, texts('done'), 'is-done');
          return true;
        })
        .catch(function (e) {
          if (it.cancelled) return false;
          it.cancel.hidden = true;
          show(it, e && e.message && e.message !== 'network' ? e.message : texts('failed'), 'is-error');
          return false;
        });
    }

    form.addEventListener('submit', function (ev) {
      var files = Array.prototype.slice.call(input.files || []);
      if (files.length === 0) return;
      ev.preventDefault();
      active += 1;
      if (button) button.disabled = true;
      var ok = true;
      files
        .reduce(function (chain, f) {
          return chain.then(function () {
            return upload(f).then(function (done) {
              ok = ok && done;
            });
          });
        }, Promise.resolve())
        .then(function () {
          active -= 1;
          input.value = '';
          if (button) button.disabled = false;
          if (ok) {
            window.location.assign(window.location.pathname + '?ok=dstaff.upload.added#files-heading');
          } else {
            var li = document.createElement('li');
            var a = document.createElement('a');
            a.href = window.location.pathname;
            a.textContent = texts('reload');
            li.appendChild(a);
            list.appendChild(li);
          }
        });
    });

    // Unfinished uploads of this object, remembered from before: say so, so the file gets chosen again.
    if (store) {
      for (var i = 0; i < store.length; i++) {
        var k = store.key(i);
        if (!k || k.indexOf('lt-upload:' + objectId + ':') !== 0) continue;
        try {
          var v = JSON.parse(store.getItem(k) || 'null');
          if (!v || Date.now() - v.at > 24 * 3600 * 1000) {
            store.removeItem(k);
            i--;
            continue;
          }
          var li = document.createElement('li');
          li.className = 'upload-item upload-pending';
          li.textContent = texts('pending') + ': ' + v.name + ' · ' + sizeText(v.size);
          list.appendChild(li);
          list.hidden = false;
        } catch {
          store.removeItem(k);
        }
      }
    }

    return function busy() {
      return active > 0;
    };
  }

  var uploading = function () {
    return false;
  };
  var form = document.querySelector('form[data-resumable]');
  if (form) uploading = setupUploader(form) || uploading;

  // Reload when the processing ends, unless the page is in use.
  var box = document.querySelector('[data-status-url]');
  if (box && window.fetch) {
    var url = box.getAttribute('data-status-url');
    var failures = 0;
    var poll = function () {
      window
        .fetch(url, { headers: { accept: 'application/json' }, credentials: 'same-origin', cache: 'no-store' })
        .then(function (r) {
          if (!r.ok) throw new Error('HTTP ' + r.status);
          return r.json();
        })
        .then(function (s) {
          failures = 0;
          var ended = s.processing !== 'queued' && s.processing !== 'running';
          var typing = document.activeElement && /^(INPUT|TEXTAREA|SELECT)$/.test(document.activeElement.tagName) && document.activeElement.type !== 'submit';
          if (ended && !uploading() && !typing) window.location.reload();
          else window.setTimeout(poll, ended ? 5000 : 3000);
        })
        .catch(function () {
          failures += 1;
          if (failures < 10) window.setTimeout(poll, 3000 * failures);
        });
    };
    window.setTimeout(poll, 3000);
  }
})();
