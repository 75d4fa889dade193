// Dashboard charts: data comes from json_script elements rendered by the page.
(function () {
  function data(id) {
    var el = document.getElementById(id);
    return el ? JSON.parse(el.textContent) : null;
  }
  function mount(id, option) {
    var el = document.getElementById(id);
    if (!el || !window.echarts) return;
    var chart = echarts.init(el, null, { renderer: "svg" });
    chart.setOption(option);
    window.addEventListener("resize", function () { chart.resize(); });
  }
  document.addEventListener("DOMContentLoaded", function () {
    var narrow = window.innerWidth < 640;
    var series = data("series-data");
    if (series) {
      mount("series-chart", {
        tooltip: { trigger: "axis", confine: true },
        legend: { type: "scroll", bottom: 0 },
        grid: { left: 8, right: 16, top: 16, bottom: 48, containLabel: true },
        xAxis: { type: "category", data: series.weeks, name: narrow ? "" : "周" },
        yAxis: { type: "value" },
        series: series.series.map(function (s) {
          return { name: s.name, type: "line", showSymbol: false, data: s.data };
        }),
      });
    }
    var ranking = data("ranking-data");
    if (ranking) {
      mount("ranking-chart", {
        tooltip: { trigger: "axis", axisPointer: { type: "shadow" }, valueFormatter: function (v) { return v == null ? "—" : v + "%"; } },
        grid: { left: 8, right: 40, top: 8, bottom: 8, containLabel: true },
        xAxis: { type: "value", max: 100, axisLabel: { formatter: "{value}%" } },
        yAxis: { type: "category", inverse: true, data: ranking.names, axisLabel: { interval: 0, width: narrow ? 80 : 140, overflow: "truncate" } },
        series: [{ type: "bar", data: ranking.values, itemStyle: { color: "#b3261e" }, label: { show: true, position: "right", formatter: "{c}%" } }],
      });
    }
  });
})();
