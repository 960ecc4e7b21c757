// Progressive enhancement only: every page works without this file.
(function () {
  "use strict";
  // Print button on certificates (hidden without JavaScript).
  document.querySelectorAll("[data-print]").forEach(function (button) {
    button.hidden = false;
    button.addEventListener("click", function () { window.print(); });
  });
  // Move focus to an error summary so screen readers announce it.
  var summary = document.querySelector(".error-summary");
  if (summary) { summary.focus(); }
  // Offline reading (app/web/offline.go): the worker keeps saved courses.
  if ("serviceWorker" in navigator && window.caches) {
    navigator.serviceWorker.register("/sw.js", { scope: "/" }).catch(function () {});
  }
  // The quiz loads offline.js only when offline or when answers wait.
  var quiz = document.querySelector("[data-offline-js]");
  if (quiz && window.localStorage) {
    var load = function () {
      var s = document.createElement("script");
      s.src = quiz.getAttribute("data-offline-js");
      document.head.appendChild(s);
      window.removeEventListener("offline", load);
    };
    if (navigator.onLine === false || localStorage.getItem("beacon-offline-answers")) { load(); } else { window.addEventListener("offline", load); }
  }
})();
