// Draws the dashboard's charts with Chart.js (loaded just before this file) from the JSON that each
// chart's section carries in <script type="application/json" data-chart>: the page has no inline
// script, so its Content-Security-Policy allows scripts from this site only. Without JavaScript, or
// should drawing fail, a section keeps its table and shows no empty box.
(function () {
  'use strict';
  var Chart = window.Chart;
  if (!Chart) return;
  Chart.defaults.font.family = getComputedStyle(document.body).fontFamily;
  // Drawn at once: nothing moves on a page people read (and screenshots show the finished chart).
  Chart.defaults.animation = false;
  document.querySelectorAll('script[type="application/json"][data-chart]').forEach(function (data) {
    var section = data.parentElement;
    var box = section.querySelector('[data-chart-box]');
    var canvas = box && box.querySelector('canvas');
    if (!canvas) return;
    try {
      var spec = JSON.parse(data.textContent);
      box.hidden = false;
      // Chart.js sizes a responsive chart by its box: a box of its own, of the height the server chose.
      box.style.position = 'relative';
      box.style.height = spec.height + 'px';
      new Chart(canvas, spec.config);
      var table = section.querySelector('details[data-chart-table]');
      if (table) table.open = false;
      section.setAttribute('data-drawn', 'true');
    } catch (err) {
      box.hidden = true;
      if (window.console) window.console.error(err);
    }
  });
})();
