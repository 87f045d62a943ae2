/* Reports pages: progressive enhancement only; the charts are server-side SVG.
 * - a campaign picker marked data-autosubmit submits when its select changes;
 * - a bar of an SVG chart is focusable and shows its value in a live region.
 * No inline handlers: loaded as a static file (Content-Security-Policy without 'unsafe-inline').
 */
(function () {
  "use strict";

  function autosubmit() {
    document.querySelectorAll("form[data-autosubmit] select").forEach(function (select) {
      select.addEventListener("change", function () {
        select.form.submit();
      });
    });
  }

  function focusableBars() {
    var live = document.createElement("p");
    live.className = "visually-hidden";
    live.setAttribute("aria-live", "polite");
    document.body.appendChild(live);
    document.querySelectorAll("svg.bar-chart .bar-row").forEach(function (row) {
      row.setAttribute("tabindex", "0");
      var title = row.querySelector("rect title");
      function show() {
        row.classList.add("is-active");
        if (title) live.textContent = title.textContent;
      }
      function hide() {
        row.classList.remove("is-active");
      }
      row.addEventListener("focus", show);
      row.addEventListener("mouseenter", show);
      row.addEventListener("blur", hide);
      row.addEventListener("mouseleave", hide);
    });
  }

  function chartData() {
    var node = document.getElementById("chart-data");
    if (!node) return null;
    try {
      return JSON.parse(node.textContent);
    } catch (e) {
      return null;
    }
  }

  document.addEventListener("DOMContentLoaded", function () {
    autosubmit();
    focusableBars();
    var data = chartData();
    if (data && data.total !== undefined) {
      document.documentElement.dataset.campaignTotal = String(data.total);
    }
  });
})();
