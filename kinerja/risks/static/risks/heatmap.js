/* Kinerja: the risk heat map. Its numbers come from the JSON block #risk-heatmap-data
 * ({x, y, data: [[impact index, likelihood index, count, level]], bands: [{min, max, color}]});
 * the table beside the chart holds the same numbers, so the page reads without this script. */
(function () {
  "use strict";

  function draw() {
    var source = document.getElementById("risk-heatmap-data");
    var node = document.getElementById("risk-heatmap");
    if (!source || !node || typeof window.echarts === "undefined") return;
    var spec = JSON.parse(source.textContent);
    var chart = window.echarts.init(node, null, { renderer: "svg" });
    chart.setOption({
      animation: false,
      tooltip: {
        position: "top",
        formatter: function (p) {
          return spec.y[p.value[1]] + " × " + spec.x[p.value[0]] + ": " + p.value[2] + " (" + p.value[3] + ")";
        }
      },
      grid: { left: 130, right: 16, top: 16, bottom: 90 },
      xAxis: { type: "category", data: spec.x, splitArea: { show: true }, axisLabel: { interval: 0, rotate: 30, width: 110, overflow: "truncate" } },
      yAxis: { type: "category", data: spec.y, splitArea: { show: true }, axisLabel: { width: 120, overflow: "truncate" } },
      visualMap: {
        type: "piecewise",
        dimension: 3,
        show: false,
        pieces: spec.bands.map(function (b) { return { min: b.min, max: b.max, color: b.color, label: b.label }; })
      },
      series: [{
        type: "heatmap",
        data: spec.data,
        label: { show: true, formatter: function (p) { return p.value[2]; }, color: "#fff", fontWeight: "bold" },
        itemStyle: { borderColor: "#fff", borderWidth: 2 }
      }]
    });
    window.addEventListener("resize", function () { chart.resize(); });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", draw);
  } else {
    draw();
  }
})();
