/* giamsat front-end behaviour. No inline scripts anywhere (CSP): pages declare behaviour
   with data- attributes and this file wires it up, also after htmx swaps. */
(function () {
  "use strict";

  // <canvas data-chart='{"type": "bar", "data": {...}, "options": {...}}'> draws a Chart.js chart.
  function drawCharts(root) {
    if (typeof window.Chart === "undefined") { return; }
    root.querySelectorAll("canvas[data-chart]").forEach(function (canvas) {
      if (canvas.dataset.chartReady) { return; }
      canvas.dataset.chartReady = "1";
      var config = JSON.parse(canvas.dataset.chart);
      config.options = config.options || {};
      config.options.maintainAspectRatio = false;
      config.options.animation = false;
      new window.Chart(canvas, config);
    });
  }

  // <form data-confirm="Are you sure?"> asks before submitting.
  function wireConfirm(root) {
    root.querySelectorAll("form[data-confirm]").forEach(function (form) {
      if (form.dataset.confirmReady) { return; }
      form.dataset.confirmReady = "1";
      form.addEventListener("submit", function (event) {
        if (!window.confirm(form.dataset.confirm)) { event.preventDefault(); }
      });
    });
  }

  // <select data-autosubmit> / <input data-autosubmit> submits its form on change.
  function wireAutosubmit(root) {
    root.querySelectorAll("[data-autosubmit]").forEach(function (el) {
      if (el.dataset.autosubmitReady) { return; }
      el.dataset.autosubmitReady = "1";
      el.addEventListener("change", function () {
        if (el.form) { if (el.form.requestSubmit) { el.form.requestSubmit(); } else { el.form.submit(); } }
      });
    });
  }

  // <button data-copy="#selector"> copies the text of the target to the clipboard.
  function wireCopy(root) {
    root.querySelectorAll("[data-copy]").forEach(function (btn) {
      if (btn.dataset.copyReady) { return; }
      btn.dataset.copyReady = "1";
      btn.addEventListener("click", function () {
        var target = document.querySelector(btn.dataset.copy);
        if (target && navigator.clipboard) { navigator.clipboard.writeText(target.textContent.trim()); }
      });
    });
  }

  function init(root) {
    drawCharts(root);
    wireConfirm(root);
    wireAutosubmit(root);
    wireCopy(root);
  }

  document.addEventListener("DOMContentLoaded", function () { init(document); });
  document.addEventListener("htmx:afterSettle", function (event) { init(event.target); });
  window.giamsat = { init: init };
})();
