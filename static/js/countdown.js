// Keeps "Còn 2 ngày 3 giờ" / "Quá hạn 5 giờ" badges ticking between page loads.
// A badge carries data-due (ISO time); the words come from data attributes on
// the badge or its table, so the server decides the language.
(function () {
  "use strict";
  function words(el) {
    var src = el.closest("[data-left]") || el;
    return {
      left: src.dataset.left, over: src.dataset.over, day: src.dataset.day,
      hour: src.dataset.hour, minute: src.dataset.minute
    };
  }
  function span(ms, w) {
    var minutes = Math.floor(Math.abs(ms) / 60000);
    var days = Math.floor(minutes / 1440), hours = Math.floor((minutes % 1440) / 60), mins = minutes % 60;
    if (days) return days + " " + w.day + " " + hours + " " + w.hour;
    if (hours) return hours + " " + w.hour + " " + mins + " " + w.minute;
    return mins + " " + w.minute;
  }
  function tick() {
    var now = Date.now();
    document.querySelectorAll("[data-due]").forEach(function (el) {
      var w = words(el);
      if (!w.left) return;
      var ms = Date.parse(el.dataset.due) - now;
      el.textContent = (ms < 0 ? w.over : w.left) + " " + span(ms, w);
      el.classList.toggle("badge-overdue", ms < 0);
      if (ms < 0) { el.classList.remove("badge-ok", "badge-due-soon"); }
    });
  }
  window.feedbackCountdown = tick;
  setInterval(tick, 30000);
})();
