/* global document, window, navigator, ClipboardItem, Blob, setTimeout */
// A "Copy" button under each citation on a record page. Without this script a click on a
// citation still selects all of it (CSS user-select: all), ready to copy by hand.
// Copies the citation with its italics (HTML) and as plain text, where the browser allows both.
(function () {
  'use strict';
  var section = document.querySelector('.record-cite');
  if (!section || !navigator.clipboard) return;
  var label = section.getAttribute('data-copy-label') || 'Copy';
  var done = section.getAttribute('data-copied-label') || 'Copied';
  var failed = section.getAttribute('data-copy-failed') || '';
  var status = document.createElement('p');
  status.className = 'visually-hidden';
  status.setAttribute('role', 'status');
  section.appendChild(status);

  function copy(el) {
    var text = el.textContent || '';
    if (window.ClipboardItem && navigator.clipboard.write) {
      var html = '<p>' + el.innerHTML + '</p>';
      var item = new ClipboardItem({
        'text/html': new Blob([html], { type: 'text/html' }),
        'text/plain': new Blob([text], { type: 'text/plain' }),
      });
      return navigator.clipboard.write([item]).catch(function () {
        return navigator.clipboard.writeText(text);
      });
    }
    return navigator.clipboard.writeText(text);
  }

  Array.prototype.forEach.call(section.querySelectorAll('.citation'), function (el) {
    var button = document.createElement('button');
    button.type = 'button';
    button.className = 'secondary cite-copy';
    button.textContent = label;
    button.setAttribute('aria-describedby', el.id);
    button.addEventListener('click', function () {
      copy(el).then(
        function () {
          button.textContent = done;
          button.setAttribute('data-done', '');
          status.textContent = done;
          setTimeout(function () {
            button.textContent = label;
            button.removeAttribute('data-done');
          }, 2000);
        },
        function () {
          status.textContent = failed;
          var range = document.createRange();
          range.selectNodeContents(el);
          var sel = window.getSelection();
          sel.removeAllRanges();
          sel.addRange(range);
        },
      );
    });
    el.insertAdjacentElement('afterend', button);
  });
})();
