// Draws every chart on the page from the figure JSON the server embedded, then keeps a static SVG
// copy of it for printing (the interactive chart is hidden in print, the image shown).
(function () {
  "use strict";
  function draw(holder) {
    var source = document.getElementById(holder.dataset.figure);
    if (!source || !window.Plotly) { return; }
    var figure = JSON.parse(source.textContent);
    var target = holder.querySelector(".chart-area");
    var meta = figure.layout.meta || {};
    if (meta.narrow_y && window.matchMedia("(max-width: 640px)").matches) {
      figure.data[0].y = meta.narrow_y;
      figure.data[0].texttemplate = "";
    }
    Plotly.newPlot(target, figure.data, figure.layout, figure.config).then(function (gd) {
      holder.classList.add("chart-ready");
      return Plotly.toImage(gd, { format: "svg", width: 1000, height: figure.layout.height || 400 });
    }).then(function (url) {
      var img = holder.querySelector("img.chart-print");
      if (img) { img.src = url; }
    });
  }
  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("[data-figure]").forEach(draw);
  });
})();
