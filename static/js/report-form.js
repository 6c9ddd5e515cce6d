// The report form, improved when JavaScript runs: a map to drop a pin,
// "is this already reported?" suggestions, and hints that follow the kind.
// Without it the form still works: coordinates can be typed, or left out.
(function () {
  var form = document.getElementById("report-form");
  if (!form) return;
  // Words the script shows come from data attributes the template renders
  // with {% translate %}, so they follow the page's language.
  var lat = form.querySelector("[name=latitude]");
  var lng = form.querySelector("[name=longitude]");
  var category = form.querySelector("[name=category]");
  var unit = form.querySelector("[name=unit]");
  function el(tag, text, cls) {
    var e = document.createElement(tag);
    if (text) e.textContent = text;
    if (cls) e.className = cls;
    return e;
  }

  // --- kind (the staff intake's radios): anonymity is only for plain
  // feedback; complaints and denunciations are never public. The public
  // form chooses its kind before it is shown (complaints and denunciations
  // have their own short path, without these boxes).
  var anonymous = form.querySelector("[name=is_anonymous]");
  var makePublic = form.querySelector("[name=make_public]");
  function syncKind() {
    var checked = form.querySelector("[name=kind]:checked");
    var plain = !checked || checked.value === "feedback";
    if (anonymous) {
      anonymous.disabled = !plain;
      if (!plain) anonymous.checked = false;
    }
    if (makePublic) makePublic.disabled = !plain;
    var contact = document.getElementById("contact-fields");
    if (contact && anonymous) contact.hidden = anonymous.checked;
  }
  form.querySelectorAll("[name=kind]").forEach(function (r) { r.addEventListener("change", syncKind); });
  if (anonymous) anonymous.addEventListener("change", syncKind);
  syncKind();

  // --- photos: a camera button and a chooser (two inputs of one field),
  // previews of what was picked. The files go with the form as usual.
  var previews = document.getElementById("previews");
  var fileInputs = form.querySelectorAll("input[type=file][name=attachments]");
  if (previews && fileInputs.length) {
    form.classList.add("js-files");
    var showPreviews = function () {
      previews.textContent = "";
      var count = 0;
      fileInputs.forEach(function (input) {
        Array.prototype.forEach.call(input.files || [], function (file) {
          var li = el("li");
          if (/^image\//.test(file.type)) {
            var img = el("img");
            img.alt = "";
            // A data: URL, which the Content-Security-Policy's img-src allows.
            var reader = new FileReader();
            reader.onload = function () { img.src = reader.result; };
            reader.readAsDataURL(file);
            li.appendChild(img);
          }
          li.appendChild(el("span", file.name));
          previews.appendChild(li);
          count++;
        });
      });
      previews.hidden = count === 0;
      // Files sent now replace the ones kept from an earlier try.
      var kept = document.getElementById("kept-files");
      if (kept) kept.hidden = count > 0;
    };
    fileInputs.forEach(function (input) { input.addEventListener("change", showPreviews); });
  }

  // --- map
  var mapEl = document.getElementById("pick-map");
  var marker = null, map = null;
  function setPin(latlng, pan) {
    if (!map) return;
    if (!marker) {
      marker = L.marker(latlng, { draggable: true, keyboard: true, title: mapEl.dataset.pinTitle || "" }).addTo(map);
      marker.on("dragend", function () { write(marker.getLatLng()); });
    } else {
      marker.setLatLng(latlng);
    }
    if (pan) map.setView(latlng, Math.max(map.getZoom(), 16));
    write(latlng);
  }
  function write(latlng) {
    lat.value = latlng.lat.toFixed(6);
    lng.value = latlng.lng.toFixed(6);
    lookNearby();
  }
  if (mapEl && typeof L !== "undefined" && lat && lng) {
    var block = mapEl.closest(".map-block");
    var cfg = JSON.parse(block.getAttribute("data-map-settings"));
    mapEl.hidden = false;
    block.querySelector(".map-tools").hidden = false;
    map = L.map(mapEl, { scrollWheelZoom: false }).setView(cfg.center, 13);
    map.attributionControl.setPrefix('<a href="https://leafletjs.com">Leaflet</a>');
    var warned = false;
    L.tileLayer(cfg.tiles, { maxZoom: 19, attribution: cfg.attribution }).on("tileerror", function () {
      if (warned) return; warned = true;
      var note = document.getElementById("map-note");
      note.textContent = note.dataset.tileError;
      note.hidden = false;
    }).addTo(map);
    map.on("click", function (e) { setPin(e.latlng, false); });
    // The chosen ward: the map moves there until a pin is dropped.
    var centresEl = document.getElementById("unit-centres");
    var centres = centresEl ? JSON.parse(centresEl.textContent) : {};
    var toWard = function () {
      var c = centres[unit.value];
      if (c && !marker) map.setView(c, 15);
    };
    unit.addEventListener("change", toWard);
    toWard();
    // Keyboard: arrows pan the map, this button drops the pin at its centre.
    var here = document.getElementById("pin-centre");
    if (here) here.addEventListener("click", function () { setPin(map.getCenter(), false); });
    if (lat.value && lng.value && !isNaN(parseFloat(lat.value))) {
      setPin(L.latLng(parseFloat(lat.value), parseFloat(lng.value)), true);
    }
    var locate = document.getElementById("locate-me");
    if (locate && navigator.geolocation) {
      locate.addEventListener("click", function () {
        navigator.geolocation.getCurrentPosition(function (pos) {
          setPin(L.latLng(pos.coords.latitude, pos.coords.longitude), true);
        }, function () {
          var note = document.getElementById("map-note");
          note.textContent = note.dataset.locateError;
          note.hidden = false;
        }, { enableHighAccuracy: true, timeout: 10000 });
      });
    } else if (locate) {
      locate.hidden = true;
    }
    document.getElementById("clear-pin").addEventListener("click", function () {
      if (marker) { map.removeLayer(marker); marker = null; }
      lat.value = ""; lng.value = "";
      lookNearby();
    });
  }
  [lat, lng].forEach(function (el) { if (el) el.addEventListener("change", lookNearby); });

  // --- nearby open reports of the same category
  var box = document.getElementById("nearby");
  var url = form.getAttribute("data-nearby-url");
  var timer = null;
  function lookNearby() {
    if (!box || !url) return;
    clearTimeout(timer);
    timer = setTimeout(fetchNearby, 300);
  }
  function fetchNearby() {
    if (!category.value || (!unit.value && !lat.value)) { box.hidden = true; return; }
    var q = new URLSearchParams({ category: category.value, unit: unit.value, lat: lat.value, lng: lng.value });
    fetch(url + "?" + q.toString(), { headers: { Accept: "application/json" } })
      .then(function (r) { return r.ok ? r.json() : { results: [] }; })
      .then(render)
      .catch(function () { box.hidden = true; });
  }
  function render(data) {
    box.textContent = "";
    if (!data.results.length) { box.hidden = true; return; }
    box.appendChild(el("h3", box.getAttribute("data-title")));
    box.appendChild(el("p", box.getAttribute("data-intro"), "help"));
    var token = form.querySelector("[name=csrfmiddlewaretoken]").value;
    var list = el("ul");
    data.results.forEach(function (r) {
      var li = el("li");
      var link = el("a", r.code + " — " + r.title);
      link.href = r.url; link.target = "_blank"; link.rel = "noopener";
      li.appendChild(link);
      var meta = [r.status, r.address || r.unit, r.received];
      if (r.distance_m !== null) meta.push(box.getAttribute("data-meters").replace("{n}", r.distance_m));
      li.appendChild(el("div", meta.filter(Boolean).join(" · "), "help"));
      // Forms cannot nest: the support form lives outside the report form
      // and the button points at it.
      var id = "support-" + r.code;
      var f = document.getElementById(id);
      if (!f) {
        f = el("form");
        f.id = id; f.method = "post"; f.action = r.support_url; f.hidden = true;
        var t = el("input"); t.type = "hidden"; t.name = "csrfmiddlewaretoken"; t.value = token;
        f.appendChild(t);
        document.body.appendChild(f);
      }
      var b = el("button", box.getAttribute("data-support"), "btn btn-secondary btn-small");
      b.type = "submit";
      b.setAttribute("form", id);
      li.appendChild(b);
      list.appendChild(li);
    });
    box.appendChild(list);
    box.hidden = false;
  }
  if (category) category.addEventListener("change", lookNearby);
  if (unit) unit.addEventListener("change", lookNearby);
  lookNearby();
})();
