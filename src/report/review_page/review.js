"use strict";
(function () {
  var data = JSON.parse(document.getElementById("review-data").textContent);
  var CHOICES = ["match", "not a match", "unsure"];
  var decisions = new Array(data.pairs.length).fill("");
  var saved = true;
  var current = -1;
  var pairsEl = document.getElementById("pairs");
  var sections = [];
  var SVGNS = "http://www.w3.org/2000/svg";

  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined) e.textContent = text;
    return e;
  }
  function svg(tag, attrs, text) {
    var e = document.createElementNS(SVGNS, tag);
    Object.keys(attrs).forEach(function (k) { e.setAttribute(k, String(attrs[k])); });
    if (text !== undefined) e.textContent = text;
    return e;
  }
  // Two decimals, more when they would round an uncertain pair to 100 % or 0 %.
  function pct(p) {
    var d = 2, shown = function () { return Number((p * 100).toFixed(d)); };
    while (d < 4 && p < 1 && p > 0 && (shown() === 100 || shown() === 0)) d++;
    if (p > 0 && shown() === 0) return "< 0.0001 %";
    if (p < 1 && shown() === 100) return "> 99.9999 %";
    return (p * 100).toFixed(d) + " %";
  }
  function bits(w) { return (w >= 0 ? "+" : "") + w.toFixed(2); }
  function differs(p, f) { return p.values[f][0].trim() !== p.values[f][1].trim(); }

  // The settings the pairs came from.
  var dl = document.getElementById("settings");
  [["Threshold", String(data.threshold)],
   ["Review band", data.review_lower + " to " + data.threshold + " (" + data.pairs.length + " pairs)"],
   ["Model", data.model]].forEach(function (kv) {
    dl.appendChild(el("dt", "", kv[0]));
    dl.appendChild(el("dd", "", kv[1]));
  });
  var fieldSel = document.getElementById("field");
  data.fields.forEach(function (f, i) {
    var o = el("option", "", f + " differs");
    o.value = String(i);
    fieldSel.appendChild(o);
  });

  // The weights as a waterfall: the prior, each comparison and guard moving the total, then the total.
  function waterfall(p) {
    var steps = [["prior", p.prior]];
    p.comparisons.forEach(function (c) { steps.push([c.comparison + " (" + c.level + ")", c.weight]); });
    p.guards.forEach(function (g) { steps.push(["guard: " + g[0], g[1]]); });
    var run = 0, lo = 0, hi = 0, bars = [];
    steps.forEach(function (s) {
      var from = run;
      run += s[1];
      bars.push([s[0], from, run, s[1]]);
      lo = Math.min(lo, from, run); hi = Math.max(hi, from, run);
    });
    bars.push(["total", 0, p.weight, p.weight, true]);
    lo = Math.min(lo, p.weight); hi = Math.max(hi, p.weight);
    if (hi - lo < 1) hi = lo + 1;
    var LABEL = 250, W = 300, VAL = 50, H = 16;
    var x = function (v) { return LABEL + (v - lo) / (hi - lo) * W; };
    var s = svg("svg", { width: LABEL + W + VAL, height: bars.length * H + 4, role: "img",
      "aria-label": "weights in bits, total " + bits(p.weight) });
    s.appendChild(svg("line", { x1: x(0), x2: x(0), y1: 0, y2: bars.length * H + 4, stroke: "#8c959f" }));
    bars.forEach(function (b, i) {
      var y = i * H + 2, a = x(Math.min(b[1], b[2])), z = x(Math.max(b[1], b[2]));
      var colour = b[4] ? "#1f4e9c" : (b[3] >= 0 ? "#2e7d32" : "#c62828");
      s.appendChild(svg("text", { x: 0, y: y + 11 }, b[0]));
      s.appendChild(svg("rect", { x: a, y: y + 2, width: Math.max(1, z - a), height: H - 5, fill: colour }));
      s.appendChild(svg("text", { x: LABEL + W + 4, y: y + 11 }, bits(b[3])));
    });
    return s;
  }

  // A pair's fields and weights: built when the pair comes near the window, so a band of thousands of pairs
  // opens at once.
  function fill(i) {
    var sec = sections[i], p = data.pairs[i];
    if (sec.dataset.filled) return;
    sec.dataset.filled = "1";
    var body = sec.querySelector(".body");
    body.classList.remove("pending");
    body.style.minHeight = "";
    var t = el("table");
    var head = el("tr");
    ["field", p.id_a, p.id_b].forEach(function (x) { head.appendChild(el("th", "", x)); });
    t.appendChild(head);
    data.fields.forEach(function (f, k) {
      var tr = el("tr", differs(p, k) ? "differs" : "");
      tr.appendChild(el("td", "f", f));
      tr.appendChild(el("td", "v", p.values[k][0]));
      tr.appendChild(el("td", "v", p.values[k][1]));
      t.appendChild(tr);
    });
    var src = el("tr");
    src.appendChild(el("td", "f", "source, row"));
    src.appendChild(el("td", "", p.source_a + " " + p.row_a));
    src.appendChild(el("td", "", p.source_b + " " + p.row_b));
    t.appendChild(src);
    body.appendChild(t);
    body.appendChild(waterfall(p));
  }

  var observer = "IntersectionObserver" in window ? new IntersectionObserver(function (entries) {
    entries.forEach(function (e) {
      if (e.isIntersecting) { fill(Number(e.target.dataset.index)); observer.unobserve(e.target); }
    });
  }, { rootMargin: "800px 0px" }) : null;

  function render() {
    var estimate = Math.max(22 * (data.fields.length + 2), 16 * (data.pairs.length ? data.pairs[0].comparisons.length + 3 : 0)) + "px";
    data.pairs.forEach(function (p, i) {
      var sec = el("section", "pair");
      sec.tabIndex = -1;
      sec.dataset.index = String(i);
      var h = el("h2");
      h.appendChild(el("span", "ids", p.id_a + " \u2194 " + p.id_b));
      h.appendChild(el("span", "prob", "match probability " + pct(p.probability)));
      var d = el("span", "decision");
      CHOICES.forEach(function (c) {
        var b = el("button", c === "match" ? "d-match" : c === "unsure" ? "d-unsure" : "d-not", c);
        b.type = "button";
        b.dataset.decision = c;
        b.setAttribute("aria-pressed", "false");
        b.addEventListener("click", function () { decide(i, c); setCurrent(i, false); });
        d.appendChild(b);
      });
      h.appendChild(d);
      sec.appendChild(h);
      var body = el("div", "body pending");
      body.style.minHeight = estimate;
      sec.appendChild(body);
      sec.addEventListener("click", function () { setCurrent(i, false); });
      pairsEl.appendChild(sec);
      sections.push(sec);
      if (observer) observer.observe(sec); else fill(i);
    });
    if (!data.pairs.length) pairsEl.appendChild(el("p", "empty", "No pair in the review band."));
  }

  function count() {
    var n = decisions.filter(function (d) { return d === "match" || d === "not a match"; }).length;
    var u = decisions.filter(function (d) { return d === "unsure"; }).length;
    var shown = sections.filter(function (s) { return !s.classList.contains("hidden"); }).length;
    document.getElementById("count").textContent = n + " of " + data.pairs.length + " decided, " + u +
      " unsure; " + shown + " shown" + (saved ? "" : "; not saved yet");
  }

  function decide(i, c) {
    decisions[i] = c;
    sections[i].querySelectorAll(".decision button").forEach(function (b) {
      b.setAttribute("aria-pressed", b.dataset.decision === c ? "true" : "false");
    });
    sections[i].dataset.decided = c;
    saved = false;
    count();
  }

  function visible() {
    return sections.filter(function (s) { return !s.classList.contains("hidden"); })
      .map(function (s) { return Number(s.dataset.index); });
  }

  function setCurrent(i, scroll) {
    if (current >= 0 && sections[current]) sections[current].classList.remove("current");
    current = i;
    if (i < 0 || !sections[i]) return;
    sections[i].classList.add("current");
    fill(i);
    if (scroll) { sections[i].focus({ preventScroll: true }); reveal(sections[i]); }
  }

  // Scroll a pair into view below the sticky header.
  function reveal(sec) {
    var top = document.querySelector("header").getBoundingClientRect().bottom + 8;
    var r = sec.getBoundingClientRect();
    if (r.top < top || r.bottom > window.innerHeight) window.scrollBy(0, r.top - top);
  }

  function move(step) {
    var v = visible();
    if (!v.length) return;
    var at = v.indexOf(current);
    var next = at < 0 ? (step > 0 ? 0 : v.length - 1) : Math.min(v.length - 1, Math.max(0, at + step));
    setCurrent(v[next], true);
  }

  function filter() {
    var lo = parseFloat(document.getElementById("min").value);
    var hi = parseFloat(document.getElementById("max").value);
    var f = fieldSel.value;
    var undecided = document.getElementById("undecided").checked;
    sections.forEach(function (s, i) {
      var p = data.pairs[i], pc = p.probability * 100;
      var show = (isNaN(lo) || pc >= lo) && (isNaN(hi) || pc <= hi) &&
        (f === "" || differs(p, Number(f))) && (!undecided || decisions[i] === "");
      s.classList.toggle("hidden", !show);
    });
    if (current >= 0 && sections[current].classList.contains("hidden")) setCurrent(-1, false);
    count();
  }

  // A value a spreadsheet would run as a formula is kept as text with a leading apostrophe.
  function cell(v, guard) {
    v = String(v);
    if (guard && /^[=+\-@\t\r]/.test(v)) v = "'" + v;
    return /[",\r\n]/.test(v) ? '"' + v.replace(/"/g, '""') + '"' : v;
  }

  function save() {
    var lines = ["decision,id_a,id_b,_source_a,_row_a,_source_b,_row_b"];
    data.pairs.forEach(function (p, i) {
      lines.push([cell(decisions[i], false), cell(p.id_a, true), cell(p.id_b, true), cell(p.source_a, false),
        cell(p.row_a, false), cell(p.source_b, false), cell(p.row_b, false)].join(","));
    });
    var blob = new Blob([lines.join("\r\n") + "\r\n"], { type: "text/csv;charset=utf-8" });
    var a = document.createElement("a");
    a.href = URL.createObjectURL(blob);
    a.download = "review-decisions.csv";
    document.body.appendChild(a);
    a.click();
    setTimeout(function () { URL.revokeObjectURL(a.href); a.remove(); }, 1000);
    saved = true;
    count();
  }

  document.addEventListener("keydown", function (e) {
    var t = e.target;
    if (e.ctrlKey || e.metaKey || e.altKey || (t && /^(INPUT|SELECT|TEXTAREA)$/.test(t.tagName))) return;
    var k = e.key;
    if (k === "j") { move(1); }
    else if (k === "k") { move(-1); }
    else if (k === "m" || k === "n" || k === "u") {
      if (current < 0) move(1);
      if (current < 0) return;
      decide(current, k === "m" ? "match" : k === "n" ? "not a match" : "unsure");
      move(1);
    } else return;
    e.preventDefault();
  });
  ["min", "max", "field", "undecided"].forEach(function (id) {
    document.getElementById(id).addEventListener("input", filter);
    document.getElementById(id).addEventListener("change", filter);
  });
  document.getElementById("save").addEventListener("click", save);
  window.addEventListener("beforeunload", function (e) { if (!saved) { e.preventDefault(); e.returnValue = ""; } });
  render();
  count();
})();
