/* Kinerja: the impact report's charts. Each chart's numbers come from the JSON block
 * #impact-charts ([{id, unit, max, categories, series: [{name, data}]}]); the table beside
 * each chart holds the same numbers, so the page reads without this script. */
(function () {
  "use strict";

  function draw() {
    var source = document.getElementById("impact-charts");
    if (!source || typeof window.echarts === "undefined") return;
    var charts = JSON.parse(source.textContent);
    charts.forEach(function (spec) {
      var node = document.getElementById(spec.id);
      if (!node) return;
      var chart = window.echarts.init(node, null, { renderer: "svg" });
      chart.setOption({
        animation: false,
        tooltip: { trigger: "axis" },
        grid: { left: 48, right: 16, top: 24, bottom: 72 },
        xAxis: {
          type: "category",
          data: spec.categories,
          axisLabel: { interval: 0, rotate: spec.categories.length > 4 ? 30 : 0, width: 120, overflow: "truncate" }
        },
        yAxis: { type: "value", max: spec.max || null, axisLabel: { formatter: "{value}" + (spec.unit || "") } },
        series: spec.series.map(function (s) {
          return { name: s.name, type: "bar", data: s.data, label: { show: true, position: "top" } };
        })
      });
      window.addEventListener("resize", function () { chart.resize(); });
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", draw);
  } else {
    draw();
  }
})();
