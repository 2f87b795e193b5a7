// Polls the status of a running evaluation and reloads the page when it has finished.
(function () {
  "use strict";
  var box = document.getElementById("run-progress");
  if (!box) { return; }
  var bar = document.getElementById("run-progress-bar");
  var text = document.getElementById("run-progress-text");
  function poll() {
    fetch(box.dataset.statusUrl, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) { return response.json(); })
      .then(function (data) {
        bar.value = data.progress;
        text.textContent = data.progress + "% – " + data.label;
        if (data.status === "done" || data.status === "failed") {
          window.location.reload();
        } else {
          window.setTimeout(poll, 1000);
        }
      })
      .catch(function () { window.setTimeout(poll, 3000); });
  }
  window.setTimeout(poll, 500);
})();
