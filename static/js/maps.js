// Read-only maps: the public list (pins from #map-pins) and one ticket's spot.
// Without Leaflet or tiles the page keeps working: the list is the content.
(function () {
  if (typeof L === "undefined") return;
  function base(el) {
    var cfg = JSON.parse(el.getAttribute("data-map-settings"));
    el.hidden = false;
    var map = L.map(el, { scrollWheelZoom: false }).setView(cfg.center, 13);
    map.attributionControl.setPrefix('<a href="https://leafletjs.com">Leaflet</a>');
    var warned = false;
    L.tileLayer(cfg.tiles, { maxZoom: 19, attribution: cfg.attribution })
      .on("tileerror", function () {
        if (warned) return; warned = true;
        var note = document.getElementById("map-note");
        // The words come from the page (data-tile-error), in its language.
        if (note && note.dataset.tileError) { note.textContent = note.dataset.tileError; note.hidden = false; }
      }).addTo(map);
    return map;
  }
  var list = document.getElementById("list-map");
  var pinsEl = document.getElementById("map-pins");
  if (list && pinsEl) {
    var pins = JSON.parse(pinsEl.textContent);
    if (pins.length) {
      var map = base(list);
      var bounds = [];
      pins.forEach(function (p) {
        var a = document.createElement("a");
        a.href = p.url; a.textContent = p.code + " — " + p.title;
        var box = document.createElement("div");
        box.appendChild(a);
        var s = document.createElement("div"); s.textContent = p.status; box.appendChild(s);
        L.marker([p.lat, p.lng], { title: p.code, alt: p.code }).addTo(map).bindPopup(box);
        bounds.push([p.lat, p.lng]);
      });
      map.fitBounds(bounds, { maxZoom: 16, padding: [20, 20] });
    }
  }
  var one = document.getElementById("ticket-map");
  if (one) {
    var m = base(one);
    var at = [parseFloat(one.getAttribute("data-lat")), parseFloat(one.getAttribute("data-lng"))];
    m.setView(at, 17);
    L.marker(at, { keyboard: false }).addTo(m);
  }
})();
