// Change-model editor: sends the page's forms with fetch and swaps in the model the server redraws,
// so that adding, linking and reordering need no page reload. Without JavaScript the same forms post
// normally and the server sends the browser back to this page.
(function () {
  "use strict";
  var live = document.getElementById("cm-live");
  var status = document.getElementById("cm-status");
  if (!live || !window.fetch) { return; }
  status.setAttribute("tabindex", "-1");

  function say(text, isError) {
    status.textContent = text;
    status.className = isError ? "status error-summary" : "status";
    status.setAttribute("role", isError ? "alert" : "status");
  }

  live.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.classList || !form.classList.contains("js-model")) { return; }
    event.preventDefault();
    var focusId = form.id;  // after adding, the same form keeps the focus for the next entry
    var button = form.querySelector("button[type=submit]");
    if (button) { button.disabled = true; }
    fetch(form.action, {
      method: "POST",
      body: new FormData(form),
      headers: { "Accept": "application/json", "X-Requested-With": "fetch" },
      credentials: "same-origin"
    }).then(function (response) {
      return response.json().then(function (data) { return { ok: response.ok, data: data }; });
    }).then(function (result) {
      if (!result.ok || !result.data.ok) {
        var errors = (result.data && result.data.errors) || {};
        var texts = [];
        Object.keys(errors).forEach(function (key) { texts = texts.concat(errors[key]); });
        say(texts.join(" ") || live.dataset.failed, true);
        if (button) { button.disabled = false; }
        status.focus();
        return;
      }
      live.innerHTML = result.data.html;
      say(result.data.message + " (" + live.dataset.version + " " + result.data.version + ")", false);
      var again = focusId && document.getElementById(focusId);
      var first = again && again.querySelector("input:not([type=hidden]), select, textarea");
      if (first) { first.focus(); } else { status.focus(); }
    }).catch(function () {
      say(live.dataset.failed, true);
      if (button) { button.disabled = false; }
    });
  });
})();
