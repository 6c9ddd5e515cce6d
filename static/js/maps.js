// Read-only maps: the public list (pins from #map-pins), one ticket's spot,
// and the dashboard's areas (#map-areas).
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
      // Pins close together gather into one numbered cluster
      // (Leaflet.markercluster); each pin's colour says its status, and the
      // legend and its title say it in words.
      var clusterLabel = list.getAttribute("data-cluster-label") || "{n}";
      var layer = typeof L.markerClusterGroup === "function"
        ? L.markerClusterGroup({
            showCoverageOnHover: false,
            maxClusterRadius: 50,
            iconCreateFunction: function (cluster) {
              var n = cluster.getChildCount();
              var size = n < 10 ? "small" : n < 100 ? "medium" : "large";
              return L.divIcon({
                html: "<div><span>" + n + "</span></div>",
                className: "marker-cluster marker-cluster-" + size,
                iconSize: L.point(40, 40)
              });
            }
          })
        : L.layerGroup();
      var bounds = [];
      pins.forEach(function (p) {
        var box = document.createElement("div");
        box.className = "pin-popup";
        if (p.thumb) {
          var img = document.createElement("img");
          img.src = p.thumb; img.alt = ""; img.width = 120; img.height = 90;
          box.appendChild(img);
        }
        var a = document.createElement("a");
        a.href = p.url; a.textContent = p.code + " — " + p.title;
        box.appendChild(a);
        var s = document.createElement("div"); s.textContent = p.status; box.appendChild(s);
        var icon = L.divIcon({
          className: "pin-icon",
          html: '<span class="pin pin-' + p.group + '"></span>',
          iconSize: [22, 22], iconAnchor: [11, 11], popupAnchor: [0, -10]
        });
        L.marker([p.lat, p.lng], { icon: icon, title: p.code + " — " + p.status, alt: p.code })
          .bindPopup(box).addTo(layer);
        bounds.push([p.lat, p.lng]);
      });
      layer.addTo(map);
      // A cluster is a keyboard stop with a name, like a pin.
      if (layer.on) {
        var nameClusters = function () {
          list.querySelectorAll(".marker-cluster").forEach(function (el) {
            var n = el.textContent.trim();
            el.setAttribute("role", "button");
            el.setAttribute("tabindex", "0");
            el.setAttribute("aria-label", clusterLabel.replace("{n}", n));
          });
        };
        map.on("zoomend moveend", nameClusters);
        layer.on("animationend", nameClusters);
        list.addEventListener("keydown", function (e) {
          if ((e.key === "Enter" || e.key === " ") && e.target.classList.contains("marker-cluster")) {
            e.preventDefault();
            e.target.click();
          }
        });
        setTimeout(nameClusters, 0);
      }
      map.fitBounds(bounds, { maxZoom: 16, padding: [20, 20] });
      var legend = document.querySelector(".map-legend");
      if (legend) legend.hidden = false;
    }
  }
  // The dashboard: one circle per ward or commune, sized by volume and
  // coloured by its overdue share; each opens the inbox behind it. The
  // table under the map holds the same numbers.
  var dash = document.getElementById("dashboard-map");
  var areasEl = document.getElementById("map-areas");
  if (dash && areasEl) {
    var areas = JSON.parse(areasEl.textContent);
    if (areas.length) {
      var dmap = base(dash);
      var most = Math.max.apply(null, areas.map(function (a) { return a.received; }));
      var spots = [];
      areas.forEach(function (a) {
        // Overdue share 0% -> blue, 50% and over -> red.
        var t = Math.min(a.share / 50, 1);
        var colour = "rgb(" + Math.round(0 + 213 * t) + "," + Math.round(114 - 20 * t) + "," + Math.round(178 - 178 * t) + ")";
        var link = document.createElement("a");
        link.href = a.url;
        link.textContent = a.name + ": " + dash.dataset.labelReceived + " " + a.received + ", " + dash.dataset.labelOverdue + " " + a.overdue + " (" + a.share + "%)";
        L.circleMarker([a.lat, a.lng], {
          radius: 6 + 24 * Math.sqrt(a.received / most), color: colour, fillColor: colour, fillOpacity: 0.55, weight: 2
        }).addTo(dmap).bindPopup(link);
        spots.push([a.lat, a.lng]);
      });
      dmap.fitBounds(spots, { maxZoom: 14, padding: [30, 30] });
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
