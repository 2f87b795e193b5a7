// The network picture (cytoscape, from the pinned npm package served by the application) and the
// time slider. The tables on the page hold the same content; without JavaScript nothing is lost.
(function () {
  "use strict";
  var dataNode = document.getElementById("network-data");
  var box = document.getElementById("network-picture");
  if (!dataNode || !box) { return; }
  var data = JSON.parse(dataNode.textContent);

  // The time slider: moving it shows the network on the first day of that month (the last step: the
  // date chosen in the form).
  var months = JSON.parse(document.getElementById("network-months").textContent);
  var slider = document.getElementById("network-slider");
  var wrap = document.getElementById("network-slider-wrap");
  var output = document.getElementById("network-slider-value");
  var form = document.getElementById("network-filter");
  var dateField = form ? form.querySelector("input[name=datum]") : null;
  var sinceField = form ? form.querySelector("input[name=sinds]") : null;
  if (slider && months.length > 1 && dateField) {
    wrap.hidden = false;
    var label = function (iso) {
      var d = new Date(iso + "T12:00:00");
      return d.toLocaleDateString(document.documentElement.lang || "nl", { month: "long", year: "numeric" });
    };
    var pointer = false;  // a drag shows the month when let go; the arrow keys choose, Enter shows
    var go = function () {
      var i = +slider.value;
      dateField.value = i === months.length - 1 && dateField.value && dateField.value > months[i]
        ? dateField.value : months[i];
      if (sinceField && (!sinceField.value || sinceField.value >= dateField.value)) {
        var d = new Date(dateField.value + "T12:00:00");  // the comparison date must come before it
        d.setFullYear(d.getFullYear() - 1);
        sinceField.value = d.toISOString().slice(0, 10);
      }
      form.submit();
    };
    slider.addEventListener("pointerdown", function () { pointer = true; });
    slider.addEventListener("input", function () { output.textContent = label(months[+slider.value]); });
    slider.addEventListener("change", function () { if (pointer) { go(); } });
    slider.addEventListener("keydown", function (event) {
      if (event.key === "Enter") { event.preventDefault(); go(); }
    });
  }

  if (typeof window.cytoscape !== "function" || data.nodes.length === 0) { return; }
  var elements = [];
  data.nodes.forEach(function (n) {
    elements.push({ group: "nodes", data: { id: "p" + n.id, name: n.name, colour: n.colour,
      shape: n.formal ? "round-rectangle" : "ellipse", party: n }, position: { x: n.x, y: n.y } });
  });
  data.edges.forEach(function (e, i) {
    elements.push({ group: "edges", data: {
      id: "e" + i, source: "p" + (e.reverse ? e.target : e.source), target: "p" + (e.reverse ? e.source : e.target),
      colour: e.colour, line: e.line, width: e.width, arrow: e.arrow ? "triangle" : "none" } });
  });
  var cy = window.cytoscape({
    container: box,
    elements: elements,
    layout: { name: "preset", fit: true, padding: 24 },
    maxZoom: 3,
    boxSelectionEnabled: false,
    style: [
      { selector: "node", style: {
        "background-color": "data(colour)", shape: "data(shape)", width: 18, height: 18,
        label: "data(name)", "font-size": 9, color: "#1a1a1a", "text-valign": "bottom", "text-margin-y": 3,
        "text-background-color": "#ffffff", "text-background-opacity": 0.8, "text-background-padding": 1,
        "min-zoomed-font-size": 6 } },
      { selector: "edge", style: {
        "line-color": "data(colour)", "line-style": "data(line)", width: "data(width)", "curve-style": "straight",
        "target-arrow-shape": "data(arrow)", "target-arrow-color": "data(colour)", opacity: 0.75 } },
      { selector: ".faded", style: { opacity: 0.15 } },
      { selector: "node:selected", style: { "border-width": 3, "border-color": "#000000" } }
    ]
  });

  // On a small picture the parties would be dots of a few pixels: keep them at least 12 px; their
  // names show once zoomed in (a click on a party zooms to it and its ties).
  var drawnSize = 18;
  function readable() {  // one change of the stylesheet, not a bypass on every party
    var size = Math.max(18, Math.round(12 / cy.zoom()));
    if (size !== drawnSize) {
      drawnSize = size;
      cy.style().selector("node").style({ width: size, height: size }).update();
    }
  }
  function fitAll() { cy.resize(); cy.fit(undefined, 24); readable(); }
  readable();

  var panel = document.getElementById("party-panel");
  function fill(id, items) {
    var list = document.getElementById(id);
    list.textContent = "";
    items.forEach(function (text) {
      var li = document.createElement("li");
      li.textContent = text;
      list.appendChild(li);
    });
  }
  function show(node) {
    var p = node.data("party");
    document.getElementById("party-panel-name").textContent = p.name;
    document.getElementById("party-panel-kind").textContent = p.kind + " · " + p.degree + " " +
      (panel.dataset.ties || "");
    var roles = p.roles.filter(function (r) { return r[1] > 0; }).map(function (r) { return r[0] + ": " + r[1]; });
    fill("party-panel-roles", roles.length ? roles : ["–"]);
    fill("party-panel-ties", p.ties.length ? p.ties : ["–"]);
    document.getElementById("party-panel-row").setAttribute("href", "#partij-" + p.id);
    panel.hidden = false;
    cy.elements().addClass("faded");
    node.closedNeighborhood().removeClass("faded");
    cy.resize();  // the panel took room beside the picture: fit the party and its ties in what is left
    cy.fit(node.closedNeighborhood(), 40);
    readable();
    if (panel.getBoundingClientRect().top > window.innerHeight) { panel.scrollIntoView({ block: "nearest" }); }
  }
  cy.on("tap", "node", function (event) { show(event.target); });
  cy.on("tap", function (event) {
    if (event.target === cy) { cy.elements().removeClass("faded"); panel.hidden = true; fitAll(); }
  });
  box.cy = cy; // for the browser tests (an expando on the element, no global)
  box.dataset.ready = "1";
}());
