/* Kinerja: the collaboration network (ECharts graph, force layout). The graph's data come from
 * the JSON block #network-data ({nodes, edges, categories}); the table of edges below the graph
 * holds the same numbers, and each of its rows opens the same panel, so the page reads without
 * this script. Clicking an edge loads its panel (an HTMX fragment) into #edge-panel. */
(function () {
  "use strict";

  function loadPanel(url) {
    var panel = document.getElementById("edge-panel");
    if (!panel) return;
    if (window.htmx) {
      window.htmx.ajax("GET", url, { target: "#edge-panel", swap: "innerHTML" });
      return;
    }
    window.location.href = url;
  }

  function draw() {
    var source = document.getElementById("network-data");
    var node = document.getElementById("network-chart");
    if (!source || !node || typeof window.echarts === "undefined") return;
    var data = JSON.parse(source.textContent);
    var maxWeight = 1;
    data.edges.forEach(function (e) { if (e.value > maxWeight) maxWeight = e.value; });
    var chart = window.echarts.init(node, null, { renderer: "canvas" });
    chart.setOption({
      animation: false,
      tooltip: {
        formatter: function (p) {
          if (p.dataType === "edge") return p.data.label + "<br>" + p.data.count + " · " + p.data.value;
          return p.data.name + " (" + p.data.value + ")";
        }
      },
      legend: [{ data: data.categories.map(function (c) { return c.name; }), bottom: 0 }],
      series: [{
        type: "graph",
        layout: "force",
        roam: true,
        draggable: true,
        categories: data.categories,
        force: { repulsion: 120, edgeLength: [80, 220], gravity: 0.1 },
        label: { show: true, position: "right", fontSize: 10, formatter: function (p) { return p.data.value ? p.data.name : ""; } },
        emphasis: { focus: "adjacency", lineStyle: { width: 6 } },
        data: data.nodes.map(function (n) {
          return { id: n.id, name: n.name, value: n.value, category: n.category, symbolSize: 8 + Math.min(n.value, 20) * 2 };
        }),
        links: data.edges.map(function (e) {
          return {
            source: e.source, target: e.target, value: e.value, count: e.count, label: e.label, url: e.url,
            lineStyle: { width: 1 + 7 * e.value / maxWeight, opacity: 0.7, curveness: 0.1 }
          };
        })
      }]
    });
    chart.on("click", function (p) {
      if (p.dataType === "edge" && p.data.url) loadPanel(p.data.url);
    });
    window.addEventListener("resize", function () { chart.resize(); });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", draw);
  } else {
    draw();
  }
})();
