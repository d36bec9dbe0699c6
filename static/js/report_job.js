// Polls a background report job until its file is ready, then shows the download link.
(function () {
  "use strict";
  var box = document.getElementById("job");
  if (!box) { return; }
  function poll() {
    fetch(box.dataset.statusUrl, { credentials: "same-origin" }).then(function (r) { return r.json(); }).then(function (job) {
      document.getElementById("job-progress").value = job.progress;
      if (job.ready) {
        document.getElementById("job-link").hidden = false;
        document.getElementById("job-state").textContent = "✓";
      } else if (job.state === "failed") {
        var error = document.getElementById("job-error");
        error.hidden = false;
        error.textContent = job.error;
      } else {
        setTimeout(poll, 1000);
      }
    });
  }
  poll();
})();
