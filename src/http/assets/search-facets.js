/* global document, window */
/**
 * The search page's filters, applied at once: ticking a facet value or choosing a sort order
 * submits its form (the buttons that do so without JavaScript are then hidden or kept as a
 * fallback). On a wide screen the folded filter panel is opened, as it sits beside the results.
 */
(function () {
  'use strict';
  document.documentElement.className += ' js-search';

  // Open beside the results on a wide screen, folded above them on a narrow one (also when a tablet turns).
  var panel = document.querySelector('details[data-facets]');
  var wide = window.matchMedia ? window.matchMedia('(min-width: 60rem)') : null;
  if (panel && wide) {
    panel.open = wide.matches;
    var follow = function (e) {
      panel.open = e.matches;
    };
    if (wide.addEventListener) wide.addEventListener('change', follow);
    else if (wide.addListener) wide.addListener(follow);
  }

  function submit(form) {
    if (form.requestSubmit) form.requestSubmit();
    else form.submit();
  }

  var facets = document.querySelector('form.facet-form');
  if (facets) {
    facets.addEventListener('change', function (e) {
      var t = e.target;
      if (t && (t.type === 'checkbox' || t.type === 'radio')) submit(facets);
    });
  }

  var sort = document.querySelector('form.sort-form');
  var select = sort && sort.querySelector('select');
  if (select) {
    select.addEventListener('change', function () {
      submit(sort);
    });
  }
})();
