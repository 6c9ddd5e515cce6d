// The ticket page: who else is looking at it (presence), a notice when it
// changes, and response templates that fill the answer box.
(function () {
  "use strict";
  document.querySelectorAll(".template-picker").forEach(function (select) {
    select.addEventListener("change", function () {
      var option = select.options[select.selectedIndex];
      var target = document.getElementById(select.dataset.target);
      if (option && option.dataset.body && target) {
        target.value = option.dataset.body;
        target.focus();
      }
    });
  });

  var box = document.getElementById("presence");
  var changed = document.getElementById("ticket-changed");
  if (!box || !window.WebSocket) return;
  var scheme = location.protocol === "https:" ? "wss://" : "ws://";
  var viewers = {}; // connection id -> {name, seen}
  var retry = 1000, socket = null, beat = null;
  var STALE = 75000; // a viewer not heard from in this long has gone

  function render() {
    var now = Date.now(), names = [];
    Object.keys(viewers).forEach(function (id) {
      if (now - viewers[id].seen > STALE) { delete viewers[id]; return; }
      if (names.indexOf(viewers[id].name) < 0) names.push(viewers[id].name);
    });
    box.hidden = names.length === 0;
    box.textContent = names.length ? names.join(", ") + " " + box.dataset.also : "";
  }
  function connect() {
    socket = new WebSocket(scheme + location.host + box.dataset.wsPath);
    socket.onopen = function () {
      retry = 1000;
      beat = setInterval(function () { socket.send(JSON.stringify({ type: "heartbeat" })); render(); }, 25000);
    };
    socket.onmessage = function (msg) {
      var data = JSON.parse(msg.data);
      if (data.type === "presence.join" || data.type === "presence.here" || data.type === "presence.heartbeat") {
        viewers[data.id] = { name: data.name, seen: Date.now() };
      } else if (data.type === "presence.leave") {
        delete viewers[data.id];
      } else if (data.type === "ticket.changed" && changed) {
        changed.hidden = false;
      }
      render();
    };
    socket.onclose = function (ev) {
      clearInterval(beat);
      viewers = {};
      render();
      if (ev.code === 4403) return;
      setTimeout(connect, retry);
      retry = Math.min(retry * 2, 30000);
    };
  }
  connect();
})();
