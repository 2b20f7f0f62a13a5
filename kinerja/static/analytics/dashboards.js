/* Kinerja: the dashboards' charts. Each chart's ECharts option comes ready from the JSON block
 * #dashboard-charts ([{id, option}], written by kinerja/analytics/charts.py from the same
 * rows as the table beside it), so the page reads without this script and the chart never
 * holds a number the table does not. A missing figure is "-" (a gap), never 0. */
(function () {
  "use strict";

  function draw() {
    var source = document.getElementById("dashboard-charts");
    if (!source || typeof window.echarts === "undefined") return;
    var specs = JSON.parse(source.textContent);
    var charts = [];
    specs.forEach(function (spec) {
      var node = document.getElementById(spec.id);
      if (!node) return;
      var chart = window.echarts.init(node, null, { renderer: "svg" });
      chart.setOption(spec.option);
      charts.push(chart);
    });
    window.addEventListener("resize", function () {
      charts.forEach(function (chart) { chart.resize(); });
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", draw);
  } else {
    draw();
  }
})();
