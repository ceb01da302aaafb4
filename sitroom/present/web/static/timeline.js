// The zoomable timeline: events or documents (as the page's filters say) drawn as bars on an SVG
// time axis that zooms from decades to days (wheel or buttons) and pans by dragging. The table
// below stays the no-JavaScript view of the same entries; labels are set as text, never as HTML.
(function () {
  "use strict";
  var root = document.getElementById("timeline");
  if (!root) { return; }
  var NS = "http://www.w3.org/2000/svg";
  var DAY = 86400000;
  var svg = root.querySelector(".timeline-svg");
  var scaleLabel = root.querySelector(".timeline-scale");
  var detail = root.querySelector(".timeline-detail");
  var items = [];
  var view = { start: 0, end: 1 };
  var LANE = 16, TOP = 8, AXIS = 26;

  function parse(value, last) {
    // "2015", "2015-11" or "2015-11-23" → the first (or, with last, the end of the) period, in ms
    if (!value) { return null; }
    var m = /^(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?/.exec(value);
    if (!m) { return null; }
    var y = +m[1], mo = m[2] ? +m[2] - 1 : 0, d = m[3] ? +m[3] : 1;
    var start = Date.UTC(y, mo, d);
    if (!last) { return start; }
    if (m[3]) { return start + DAY; }
    if (m[2]) { return Date.UTC(y, mo + 1, 1); }
    return Date.UTC(y + 1, 0, 1);
  }

  function el(name, attrs, parent) {
    var node = document.createElementNS(NS, name);
    Object.keys(attrs).forEach(function (k) { node.setAttribute(k, attrs[k]); });
    if (parent) { parent.appendChild(node); }
    return node;
  }

  function ticks(start, end) {
    // the coarsest unit that still gives a few ticks: decades, years, months, weeks, days
    var span = (end - start) / DAY, out = [], d = new Date(start), unit;
    if (span > 365 * 25) { unit = "decade"; } else if (span > 365 * 3) { unit = "year"; }
    else if (span > 120) { unit = "month"; } else if (span > 20) { unit = "week"; } else { unit = "day"; }
    var t;
    if (unit === "decade") { t = Date.UTC(Math.floor(d.getUTCFullYear() / 10) * 10, 0, 1); }
    else if (unit === "year") { t = Date.UTC(d.getUTCFullYear(), 0, 1); }
    else if (unit === "month") { t = Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1); }
    else { t = Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate()); }
    while (t <= end && out.length < 400) {
      if (t >= start) { out.push(t); }
      var x = new Date(t);
      if (unit === "decade") { t = Date.UTC(x.getUTCFullYear() + 10, 0, 1); }
      else if (unit === "year") { t = Date.UTC(x.getUTCFullYear() + 1, 0, 1); }
      else if (unit === "month") { t = Date.UTC(x.getUTCFullYear(), x.getUTCMonth() + 1, 1); }
      else if (unit === "week") { t += 7 * DAY; }
      else { t += DAY; }
    }
    return { unit: unit, at: out };
  }

  function label(t, unit) {
    var iso = new Date(t).toISOString();
    if (unit === "decade" || unit === "year") { return iso.slice(0, 4); }
    if (unit === "month") { return iso.slice(0, 7); }
    return iso.slice(0, 10);
  }

  function draw() {
    while (svg.firstChild) { svg.removeChild(svg.firstChild); }
    var width = svg.clientWidth || 800;
    var span = view.end - view.start;
    function x(t) { return (t - view.start) / span * width; }
    var lanes = [];
    var shown = 0;
    var height = svg.clientHeight || 320;
    var grid = ticks(view.start, view.end);
    grid.at.forEach(function (t) {
      var g = el("g", { "class": "tick" }, svg);
      el("line", { x1: x(t), x2: x(t), y1: 0, y2: height - AXIS }, g);
      var text = el("text", { x: x(t) + 3, y: height - 8 }, g);
      text.textContent = label(t, grid.unit);
    });
    el("line", { "class": "axis", x1: 0, x2: width, y1: height - AXIS, y2: height - AXIS }, svg);
    items.forEach(function (item) {
      if (item.end < view.start || item.start > view.end) { return; }
      var x0 = Math.max(-5, x(item.start)), x1 = Math.min(width + 5, x(item.end));
      var w = Math.max(4, x1 - x0);
      var lane = 0;
      while (lane < lanes.length && lanes[lane] > x0) { lane++; }
      lanes[lane] = x0 + w + 2;
      var y = TOP + lane * LANE;
      if (y > height - AXIS - LANE) { return; }
      var rect = el("rect", { x: x0, y: y, width: w, height: LANE - 4, rx: 2, "class": "item " + item.kind, tabindex: 0 }, svg);
      var title = el("title", {}, rect);
      title.textContent = item.when + (item.until && item.until !== item.when ? " – " + item.until : "") + ": " + item.label;
      rect.addEventListener("click", function () { window.location.href = item.href; });
      rect.addEventListener("mouseenter", function () { detail.textContent = title.textContent + " — " + item.text; });
      shown++;
    });
    scaleLabel.textContent = label(view.start, "day") + " to " + label(view.end, "day") + " · " + shown + " of " + items.length + " shown · ticks by " + grid.unit;
    root.setAttribute("data-rendered", String(shown));
  }

  function zoom(factor, at) {
    var span = view.end - view.start;
    var next = Math.min(Math.max(span * factor, 2 * DAY), 120 * 365 * DAY);
    var pivot = at === undefined ? view.start + span / 2 : at;
    var ratio = (pivot - view.start) / span;
    view.start = pivot - next * ratio;
    view.end = view.start + next;
    draw();
  }

  function fit() {
    if (!items.length) { view.start = Date.UTC(2000, 0, 1); view.end = Date.UTC(2030, 0, 1); draw(); return; }
    var lo = Math.min.apply(null, items.map(function (i) { return i.start; }));
    var hi = Math.max.apply(null, items.map(function (i) { return i.end; }));
    var pad = Math.max((hi - lo) * 0.05, 3 * DAY);
    view.start = lo - pad; view.end = hi + pad;
    draw();
  }

  root.querySelectorAll("button[data-zoom]").forEach(function (button) {
    button.addEventListener("click", function () {
      var how = button.getAttribute("data-zoom");
      if (how === "fit") { fit(); } else { zoom(how === "in" ? 0.5 : 2); }
    });
  });
  svg.addEventListener("wheel", function (event) {
    event.preventDefault();
    var box = svg.getBoundingClientRect();
    var at = view.start + (event.clientX - box.left) / box.width * (view.end - view.start);
    zoom(event.deltaY < 0 ? 0.8 : 1.25, at);
  }, { passive: false });
  var dragging = null;
  svg.addEventListener("pointerdown", function (event) { dragging = { x: event.clientX, start: view.start, end: view.end }; });
  window.addEventListener("pointerup", function () { dragging = null; });
  svg.addEventListener("pointermove", function (event) {
    if (!dragging) { return; }
    var shift = (dragging.x - event.clientX) / (svg.clientWidth || 800) * (dragging.end - dragging.start);
    view.start = dragging.start + shift; view.end = dragging.end + shift;
    draw();
  });

  var params = new URLSearchParams(window.location.search);
  params.set("offset", "0");
  params.set("limit", "1000");
  fetch(root.getAttribute("data-api") + "?" + params.toString(), { credentials: "same-origin" })
    .then(function (r) { return r.json(); })
    .then(function (data) {
      data.entries.items.forEach(function (e) {
        var start = parse(e.when, false);
        if (start === null) { return; }
        var end = parse(e.until || e.when, true) || start + DAY;
        var href = "/documents/" + encodeURIComponent(e.document_id);
        var span = /^event:[0-9a-f]+:(\d+-\d+):/.exec(e.ref || "");
        if (span) { href += "?at=" + span[1] + "#focus"; }
        items.push({ start: start, end: Math.max(end, start + DAY), when: e.when, until: e.until, kind: e.kind,
                     label: e.label, text: e.text || "", href: href });
      });
      root.hidden = false;
      fit();
    });
  window.addEventListener("resize", draw);
})();
