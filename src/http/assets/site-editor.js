/* global document */
// The branding form's colour preview, live while the colour is chosen. Without this script the
// form works the same: the server shows the preview and the contrast after "Preview" or "Save".
// Contrast follows WCAG 2.1 (relative luminance of sRGB; (L1 + 0.05) / (L2 + 0.05)), as the
// server's check in src/domain/sites/colour.ts does.
(function () {
  'use strict';
  var input = document.querySelector('[data-site-colour]');
  var note = document.querySelector('[data-contrast]');
  var previews = document.querySelectorAll('[data-site-preview]');
  var code = document.querySelector('[data-colour-code]');
  var useDefault = document.querySelector('[data-colour-default]');
  if (!input || !note || previews.length === 0) return;

  function channel(hex, i) {
    var s = parseInt(hex.slice(i, i + 2), 16) / 255;
    return s <= 0.04045 ? s / 12.92 : Math.pow((s + 0.055) / 1.055, 2.4);
  }
  function luminance(hex) {
    return 0.2126 * channel(hex, 1) + 0.7152 * channel(hex, 3) + 0.0722 * channel(hex, 5);
  }
  function mix(hex, other, amount) {
    var out = '#';
    for (var i = 1; i < 7; i += 2) {
      var a = parseInt(hex.slice(i, i + 2), 16);
      var b = parseInt(other.slice(i, i + 2), 16);
      var c = Math.round(a + (b - a) * amount);
      out += (c < 16 ? '0' : '') + c.toString(16);
    }
    return out;
  }

  function update() {
    var hex = String(input.value || '').toLowerCase();
    if (!/^#[0-9a-f]{6}$/.test(hex)) return;
    var ratio = 1.05 / (luminance(hex) + 0.05);
    var ok = ratio >= 4.5;
    var shown = (Math.floor(ratio * 100) / 100).toFixed(2);
    note.textContent = (ok ? note.getAttribute('data-ok') : note.getAttribute('data-bad')).replace('{ratio}', shown);
    note.className = ok ? 'contrast-ok' : 'contrast-bad';
    // CSSOM, not a style attribute: the CSP allows this.
    for (var i = 0; i < previews.length; i++) {
      previews[i].style.setProperty('--site-accent', hex);
      previews[i].style.setProperty('--site-accent-dark', mix(hex, '#000000', 0.3));
      previews[i].style.setProperty('--site-tint', mix(hex, '#ffffff', 0.9));
    }
    if (code) code.textContent = hex;
  }

  input.addEventListener('input', function () {
    // Choosing a colour means wanting one's own colour.
    if (useDefault) useDefault.checked = false;
    update();
  });
  input.addEventListener('change', update);
})();
