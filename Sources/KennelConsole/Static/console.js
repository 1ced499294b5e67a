// Kennel console: the one script. Everything works without it; with it, a running
// operation's progress follows the events stream and the page reloads when it ends,
// and the ssh command is selected on focus.
(function () {
  "use strict";
  var copy = document.querySelector("input.copy");
  if (copy) { copy.addEventListener("focus", function () { copy.select(); }); }
  var panel = document.getElementById("progress");
  if (panel && panel.getAttribute("data-poll")) {
    window.setTimeout(function () { window.location.reload(); }, Number(panel.getAttribute("data-poll")));
    return;
  }
  // A refused form's page has no operation to follow: reloading it would send the form again.
  if (!panel || !panel.getAttribute("data-operation") || !window.EventSource) { return; }
  var machine = panel.getAttribute("data-machine");
  var operation = panel.getAttribute("data-operation");
  var text = document.getElementById("progress-text");
  var bar = panel.querySelector("progress");
  var after = panel.getAttribute("data-after") || "0";
  var url = "/api/v1/events?type=operation.&machine=" + encodeURIComponent(machine) + "&last_event_id=" + encodeURIComponent(after);
  var source = new EventSource(url);
  function reloadSoon() { source.close(); window.setTimeout(function () { window.location.reload(); }, 300); }
  ["operation.running", "operation.step", "operation.succeeded", "operation.failed", "operation.cancelled", "operation.interrupted"].forEach(function (type) {
    source.addEventListener(type, function (event) {
      var data = {};
      try { data = JSON.parse(event.data); } catch (e) { return; }
      if (String(data.operation) !== operation) { return; }
      if (data.step && text) { text.textContent = "running · " + data.step + " " + (data.outcome || ""); }
      if (data.outcome === "finished" && bar) { bar.value = Math.min(Number(bar.max), Number(bar.value) + 1); }
      if (type !== "operation.running" && type !== "operation.step") { reloadSoon(); }
    });
  });
  source.onerror = function () { source.close(); window.setTimeout(function () { window.location.reload(); }, 2000); };
})();
