// The office inbox follows its office live: on any change of one of its
// tickets the server sends {type:"ticket.changed", code, status, event}
// (no private data), and this script re-fetches the table fragment (tabs
// with their counts, rows), which the server renders with the viewer's
// permissions and current filters. New work for the office ("arrived")
// is announced in the notice above the table, with a link to it, whatever
// page or tab the officer is on.
(function () {
  "use strict";
  // The office switch sends itself on change (no inline handler: the CSP
  // allows scripts from files only).
  Array.prototype.forEach.call(document.querySelectorAll("select.js-submit-on-change"), function (el) {
    el.addEventListener("change", function () { el.form.submit(); });
  });
  var box = document.getElementById("inbox-table");
  var status = document.getElementById("live-status");
  if (!box || !window.WebSocket) return;
  var scheme = location.protocol === "https:" ? "wss://" : "ws://";
  var pending = null, retry = 1000, socket = null;

  function checked() {
    return Array.prototype.map.call(box.querySelectorAll("input[name=tickets]:checked"),
      function (el) { return el.value; });
  }
  function refresh(changedCode) {
    clearTimeout(pending);
    pending = setTimeout(function () {
      var keep = checked();
      fetch(box.dataset.tableUrl, { credentials: "same-origin", headers: { "X-Requested-With": "fetch" } })
        .then(function (r) { if (!r.ok) throw new Error(r.status); return r.text(); })
        .then(function (html) {
          box.innerHTML = html;
          keep.forEach(function (code) {
            var el = document.getElementById("pick-" + code);
            if (el) el.checked = true;
          });
          var row = changedCode && document.getElementById("row-" + changedCode);
          if (row) row.classList.add("is-new");
          if (window.feedbackCountdown) window.feedbackCountdown();
        })
        .catch(function () { /* the next change or a reload will catch up */ });
    }, 300);
  }
  function displayCode(code) {
    return code.length === 8 ? code.slice(0, 4) + "-" + code.slice(4) : code;
  }
  function announce(code) {
    if (!status || !status.dataset.ticketUrl) return;
    var text = document.createElement("span");
    text.textContent = status.dataset.new + " ";
    var link = document.createElement("a");
    link.href = status.dataset.ticketUrl.replace("CODE", encodeURIComponent(code));
    link.textContent = displayCode(code);
    link.setAttribute("aria-label", status.dataset.open + " " + displayCode(code));
    text.appendChild(link);
    var close = document.createElement("button");
    close.type = "button";
    close.className = "link-button";
    close.textContent = status.dataset.close;
    close.addEventListener("click", function () { status.textContent = ""; });
    status.textContent = "";
    status.appendChild(text);
    status.appendChild(close);
  }
  function connect() {
    socket = new WebSocket(scheme + location.host + box.dataset.wsPath);
    socket.onopen = function () { retry = 1000; box.dataset.live = "on"; };
    socket.onmessage = function (msg) {
      var data = JSON.parse(msg.data);
      if (data.type === "ticket.changed") {
        refresh(data.code);
        if (data.arrived) announce(data.code);
      }
    };
    socket.onclose = function (ev) {
      box.dataset.live = "off";
      if (ev.code === 4403) return; // not allowed: do not hammer the server
      setTimeout(connect, retry);
      retry = Math.min(retry * 2, 30000);
    };
  }
  connect();
})();
