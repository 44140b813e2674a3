// An admin import's page while its job runs: polls the run's progress (a small staff-only JSON
// answer) once a second, shows it, and reloads into the full report when the job is over.
(function () {
  "use strict";
  var section = document.querySelector("[data-progress-url]");
  if (!section) return;
  var url = section.getAttribute("data-progress-url");
  function el(name) { return section.querySelector("[data-" + name + "]"); }

  function show(progress) {
    el("state").textContent = progress.state_label;
    el("done").textContent = progress.files_done;
    el("total").textContent = progress.files_total || "?";
    var bar = el("bar");
    bar.max = progress.files_total || 1;
    bar.value = progress.files_done;
    var counts = el("counts");
    counts.textContent = "";
    Object.keys(progress.counts).forEach(function (name) {
      var span = document.createElement("span");
      var strong = document.createElement("strong");
      strong.textContent = progress.counts[name];
      span.append(name + " ", strong);
      counts.append(span);
    });
    var waiting = el("waiting");
    if (waiting) waiting.hidden = progress.state !== "queued";
    var failures = el("failures");
    failures.textContent = "";
    progress.failures.forEach(function (failure) {
      var item = document.createElement("li");
      var path = document.createElement("strong");
      path.textContent = failure.path;
      item.append(path, ": " + (failure.error || failure.status));
      failures.append(item);
    });
  }

  function poll() {
    fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (progress) {
        if (progress) {
          show(progress);
          if (!progress.in_progress) { window.location.reload(); return; }
        }
        window.setTimeout(poll, 1000);
      })
      .catch(function () { window.setTimeout(poll, 3000); });
  }
  window.setTimeout(poll, 500);
})();
