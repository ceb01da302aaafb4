// The map: located events as clustered markers over the bundled Natural Earth basemap.
// Data comes from /api/map (the same query as the page's table); popups are built from text nodes,
// never from HTML strings, because sentences and titles are article text.
(function () {
  "use strict";
  var el = document.getElementById("map");
  if (!el || !window.L) { return; }
  var map = L.map(el, { worldCopyJump: true, minZoom: 1, maxZoom: 14, attributionControl: true });
  map.setView([30, 20], 2);
  map.attributionControl.setPrefix(false);
  map.attributionControl.addAttribution("Natural Earth (public domain) via world-atlas");

  fetch(el.getAttribute("data-basemap"), { credentials: "same-origin" })
    .then(function (r) { return r.json(); })
    .then(function (geo) {
      L.geoJSON(geo, {
        interactive: false,
        style: { color: "#8a9aa8", weight: 0.6, fillColor: "#f4f1ea", fillOpacity: 1 }
      }).addTo(map).bringToBack();
    });

  function popup(m) {
    var box = document.createElement("div");
    var head = document.createElement("strong");
    head.textContent = m.type + (m.place ? " · " + m.place : "");
    box.appendChild(head);
    var when = document.createElement("div");
    when.textContent = (m.when || "undated") + " · " + m.modality;
    box.appendChild(when);
    var link = document.createElement("a");
    link.href = m.href;  // a path on this site, built by the server
    link.textContent = m.sentence.length > 220 ? m.sentence.slice(0, 219) + "…" : m.sentence;
    box.appendChild(link);
    return box;
  }

  fetch(el.getAttribute("data-api") + window.location.search, { credentials: "same-origin" })
    .then(function (r) { return r.json(); })
    .then(function (data) {
      var cluster = L.markerClusterGroup({ showCoverageOnHover: false, maxClusterRadius: 40 });
      var bounds = [];
      data.markers.forEach(function (m) {
        var marker = L.marker([m.lat, m.lon], { title: m.place || m.type });
        marker.bindPopup(function () { return popup(m); });
        cluster.addLayer(marker);
        bounds.push([m.lat, m.lon]);
      });
      map.addLayer(cluster);
      var overlays = { "events": cluster };
      var placesApi = el.getAttribute("data-places");
      if (placesApi) {
        // Places are a second layer, loaded when it is first switched on.
        var places = L.layerGroup();
        var loaded = false;
        map.on("overlayadd", function (event) {
          if (event.layer !== places || loaded) { return; }
          loaded = true;
          fetch(placesApi, { credentials: "same-origin" })
            .then(function (r) { return r.json(); })
            .then(function (found) {
              found.places.items.forEach(function (p) {
                var dot = L.circleMarker([p.lat, p.lon], { radius: Math.min(12, 3 + Math.sqrt(p.mentions)), color: "#2c8a47", weight: 1, fillOpacity: 0.35 });
                dot.bindPopup(function () {
                  var link = document.createElement("a");
                  link.href = "/places/" + encodeURIComponent(p.id);
                  link.textContent = p.name + " · " + p.mentions + " mentions in " + p.documents + " documents";
                  return link;
                });
                places.addLayer(dot);
              });
            });
        });
        overlays["places"] = places;
        L.control.layers(null, overlays, { collapsed: false }).addTo(map);
      }
      if (bounds.length) { map.fitBounds(bounds, { padding: [30, 30], maxZoom: 7 }); }
      el.setAttribute("data-markers", String(data.markers.length));
    });
})();
