/* global document, CSS */
/**
 * The MARC editor, enhanced: "add a field" appends an empty row and "remove" takes one out,
 * without a round trip. The form works the same without this script: it has empty rows and a
 * "more empty rows" button, and a row whose value is emptied is not saved.
 */
(function () {
  'use strict';
  var form = document.querySelector('form.marc-editor');
  var list = form && form.querySelector('.marc-rows');
  if (!list) return;
  var text = function (name) {
    return list.getAttribute('data-' + name) || '';
  };
  var label = function (name, n) {
    return text(name).replace('{n}', String(n));
  };

  function rows() {
    return Array.prototype.slice.call(list.querySelectorAll('.marc-row'));
  }

  function nextIndex() {
    var max = -1;
    rows().forEach(function (row) {
      var input = row.querySelector('[name$=".tag"]');
      var m = input && /^f(\d+)\./.exec(input.getAttribute('name'));
      if (m && Number(m[1]) > max) max = Number(m[1]);
    });
    return max + 1;
  }

  function addRemoveButton(row) {
    if (row.querySelector('.marc-remove')) return;
    var button = document.createElement('button');
    button.type = 'button';
    button.className = 'link marc-remove';
    button.textContent = '×';
    button.setAttribute('aria-label', text('remove'));
    button.title = text('remove');
    button.addEventListener('click', function () {
      var next = row.nextElementSibling || row.previousElementSibling;
      row.parentNode.removeChild(row);
      var focus = next && next.querySelector('input, textarea');
      if (focus) focus.focus();
    });
    row.appendChild(button);
  }

  function addRow() {
    var last = rows().pop();
    if (!last) return;
    var row = last.cloneNode(true);
    var n = nextIndex();
    row.id = 'row-' + n;
    row.className = 'marc-row';
    Array.prototype.forEach.call(row.querySelectorAll('.marc-problems, .marc-remove'), function (el) {
      el.parentNode.removeChild(el);
    });
    row.querySelector('.marc-name').textContent = '';
    Array.prototype.forEach.call(row.querySelectorAll('input, textarea'), function (el) {
      var field = el.getAttribute('name').replace(/^f\d+\./, '');
      el.setAttribute('name', 'f' + n + '.' + field);
      el.value = '';
      el.removeAttribute('placeholder');
      el.setAttribute('aria-label', label(field, n + 1));
      if (field === 'value') el.setAttribute('rows', '1');
    });
    list.appendChild(row);
    addRemoveButton(row);
    row.querySelector('input').focus();
  }

  // Where `field-sizing: content` is not supported, values grow with their text as they are typed.
  var sizes = typeof CSS !== 'undefined' && CSS.supports && CSS.supports('field-sizing', 'content');
  if (!sizes) {
    list.addEventListener('input', function (e) {
      var el = e.target;
      if (!el.classList || !el.classList.contains('marc-value')) return;
      while (el.scrollHeight > el.clientHeight && el.rows < 12) el.rows += 1;
    });
  }

  rows().forEach(addRemoveButton);
  var more = form.querySelector('button[value="more"]');
  var add = document.createElement('button');
  add.type = 'button';
  add.className = 'secondary';
  add.textContent = text('add');
  add.addEventListener('click', addRow);
  if (more) {
    more.parentNode.insertBefore(add, more);
    more.hidden = true;
  }
})();
