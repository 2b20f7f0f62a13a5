/* Kinerja: the area dashboard's chart. Its numbers come from the JSON block #regional-charts
 * ([{id, categories, series: [{name, data}]}]); the table beside it holds the same numbers, so
 * the page reads without this script. */
(function () {
  "use strict";

  function draw() {
    var source = document.getElementById("regional-charts");
    if (!source || typeof window.echarts === "undefined") return;
    JSON.parse(source.textContent).forEach(function (spec) {
      var node = document.getElementById(spec.id);
      if (!node) return;
      var chart = window.echarts.init(node, null, { renderer: "svg" });
      chart.setOption({
        animation: false,
        tooltip: { trigger: "axis" },
        grid: { left: 40, right: 16, top: 24, bottom: 64 },
        xAxis: {
          type: "category",
          data: spec.categories,
          axisLabel: { interval: 0, rotate: 20, width: 110, overflow: "truncate" }
        },
        yAxis: { type: "value", minInterval: 1 },
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
