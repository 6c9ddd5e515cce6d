// Live status for any public page about one ticket (e.g. /tra-cuu/<code>/).
// Include this file and mark up:
//   <div data-ticket-live="ABCD2345" data-reload="1">
//     <span data-ticket-status>Đang xử lý</span>
//   </div>
// The server sends {type:"ticket.changed", status, status_label, event} —
// never private data. The element gets data-status updated and the text of
// [data-ticket-status] replaced by the label; with data-reload="1" the page
// reloads (debounced) so it shows the new public answer too. A
// "ticket-live:changed" DOM event is dispatched for pages that want more.
(function () {
  "use strict";
  if (!window.WebSocket) return;
  var scheme = location.protocol === "https:" ? "wss://" : "ws://";
  document.querySelectorAll("[data-ticket-live]").forEach(function (el) {
    var code = el.dataset.ticketLive.replace("-", "").toUpperCase();
    var retry = 1000;
    function connect() {
      var socket = new WebSocket(scheme + location.host + "/ws/ticket/" + encodeURIComponent(code) + "/");
      socket.onopen = function () { retry = 1000; el.dataset.live = "on"; };
      socket.onmessage = function (msg) {
        var data = JSON.parse(msg.data);
        if (data.type !== "ticket.changed") return;
        el.dataset.status = data.status;
        el.querySelectorAll("[data-ticket-status]").forEach(function (s) { s.textContent = data.status_label; });
        el.dispatchEvent(new CustomEvent("ticket-live:changed", { detail: data, bubbles: true }));
        // Reload to show the new public answer, unless the reader is typing
        // (a reply or a rating on the private page) and would lose it.
        var typing = Array.prototype.some.call(
          document.querySelectorAll("textarea, input[type=text]"),
          function (f) { return f.value.trim() !== ""; }
        );
        if (el.dataset.reload === "1" && !typing) { setTimeout(function () { location.reload(); }, 1500); }
      };
      socket.onclose = function () {
        el.dataset.live = "off";
        setTimeout(connect, retry);
        retry = Math.min(retry * 2, 30000);
      };
    }
    connect();
  });
})();
