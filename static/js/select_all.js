// 全选 on the review page: ticks every box that can be ticked (a reviewer's own entries stay off).
(function () {
  "use strict";
  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("button.select-all").forEach(function (button) {
      button.addEventListener("click", function () {
        var boxes = document.querySelectorAll("#" + button.dataset.target + " input[type=checkbox]:not(:disabled)");
        var all = Array.prototype.every.call(boxes, function (box) { return box.checked; });
        boxes.forEach(function (box) { box.checked = !all; });
      });
    });
  });
})();
