(function () {
  'use strict';
  var data = JSON.parse(document.getElementById('moire-data').textContent);
  var NS = 'http://www.w3.org/2000/svg';
  var svg = document.getElementById('graph');
  var nodes = data.nodes || [];
  var edges = data.edges || [];
  var byId = new Map();
  nodes.forEach(function (n) { byId.set(n.id, n); });
  var scopeNames = new Map();
  (data.scopes || []).forEach(function (s) { scopeNames.set(s.id, s.kind + ' ' + s.name); });

  function el(name, attrs, parent) {
    var e = document.createElementNS(NS, name);
    Object.keys(attrs).forEach(function (k) { e.setAttribute(k, String(attrs[k])); });
    if (parent) parent.appendChild(e);
    return e;
  }
  function text(tag, content, parent, cls) {
    var e = document.createElement(tag);
    e.textContent = content;
    if (cls) e.className = cls;
    if (parent) parent.appendChild(e);
    return e;
  }
  function alive(spans, seq) {
    if (!spans || spans.length === 0) return true;
    return spans.some(function (s) {
      return (s[0] === null || s[0] === undefined || s[0] <= seq) &&
        (s[1] === null || s[1] === undefined || seq < s[1]);
    });
  }

  // ---- drawing: one layout for every entity that ever existed, and one for the finding ----
  var focusIds = new Set(data.focus || []);
  var mode = focusIds.size > 0 ? 'focus' : 'all';
  var view = { x: 0, y: 0, w: 100, h: 100 };
  function applyView() { svg.setAttribute('viewBox', view.x + ' ' + view.y + ' ' + view.w + ' ' + view.h); }
  var defs = el('defs', {}, svg);
  // Arrowheads differ by kind, not only by colour: open for a wait, filled for a hold.
  [['arrow', '#999', true], ['arrow-waiting_on', '#e66100', false], ['arrow-holds', '#3465a4', true],
    ['arrow-finding-waiting_on', '#c01c28', false], ['arrow-finding-holds', '#c01c28', true],
    ['arrow-finding', '#c01c28', true]]
    .forEach(function (m) {
      var marker = el('marker', { id: m[0], viewBox: '0 0 10 10', refX: 9, refY: 5, markerWidth: 11, markerHeight: 11, markerUnits: 'userSpaceOnUse', orient: 'auto-start-reverse' }, defs);
      el('path', m[2] ? { d: 'M 0 0 L 10 5 L 0 10 z', fill: m[1] } :
        { d: 'M 1 1 L 9 5 L 1 9', fill: 'none', stroke: m[1], 'stroke-width': 1.6 }, marker);
    });
  var edgeLayer = el('g', { id: 'edges' }, svg);
  var labelLayer = el('g', { id: 'edge-labels' }, svg);
  var nodeLayer = el('g', { id: 'nodes' }, svg);
  var edgeEls = new Map(), nodeEls = new Map(), labelEls = new Map();
  // In the finding's drawing a hold runs from the resource to its holder: "held by".
  var LABELS = { waiting_on: 'waits on', holds: 'holds' };
  var FOCUS_LABELS = { waiting_on: 'waits on', holds: 'held by' };

  function pos(n) {
    return mode === 'focus' && n.fx !== undefined && n.fx !== null ? [n.fx, n.fy] : [n.x, n.y];
  }
  function route(e) {
    var pts = mode === 'focus' && e.fpoints ? e.fpoints : e.points || [];
    if (pts.length < 2) {
      var a = byId.get(e.src), b = byId.get(e.dst);
      if (!a || !b) return null;
      var pa = pos(a), pb = pos(b);
      // within a pair box: a short link between the two halves
      pts = [[pa[0] + a.w - 12, pa[1] + a.h / 2], [pb[0] + b.w - 12, pb[1] + b.h / 2]];
    }
    return pts;
  }
  function midpoint(pts) {
    var total = 0, i;
    for (i = 1; i < pts.length; i++) total += Math.hypot(pts[i][0] - pts[i - 1][0], pts[i][1] - pts[i - 1][1]);
    var half = total / 2;
    for (i = 1; i < pts.length; i++) {
      var d = Math.hypot(pts[i][0] - pts[i - 1][0], pts[i][1] - pts[i - 1][1]);
      if (half <= d && d > 0) {
        var t = half / d;
        return [pts[i - 1][0] + (pts[i][0] - pts[i - 1][0]) * t, pts[i - 1][1] + (pts[i][1] - pts[i - 1][1]) * t];
      }
      half -= d;
    }
    return pts[0];
  }
  function place() {
    nodes.forEach(function (n) {
      var p = pos(n);
      nodeEls.get(n.id).setAttribute('transform', 'translate(' + p[0] + ',' + p[1] + ')');
    });
    edges.forEach(function (e) {
      var line = edgeEls.get(e.id);
      var pts = route(e);
      if (!line || !pts) return;
      line.setAttribute('points', pts.map(function (p) { return p[0] + ',' + p[1]; }).join(' '));
      var label = labelEls.get(e.id);
      if (label) {
        label.textContent = (mode === 'focus' ? FOCUS_LABELS : LABELS)[e.kind] + (e.timed ? ' (timed)' : '');
        var m = midpoint(pts);
        label.setAttribute('x', m[0] + 4);
        label.setAttribute('y', m[1] - 4);
      }
    });
  }

  edges.forEach(function (e) {
    var cls = 'edge kind-' + e.kind + (e.timed ? ' timed' : '') + (e.finding ? ' finding' : '');
    var marker = (e.kind === 'waiting_on' || e.kind === 'holds')
      ? (e.finding ? 'arrow-finding-' : 'arrow-') + e.kind : e.finding ? 'arrow-finding' : 'arrow';
    var line = el('polyline', { 'class': cls, 'marker-end': 'url(#' + marker + ')', 'data-id': e.id }, edgeLayer);
    var title = el('title', {}, line);
    title.textContent = (byId.get(e.src) || { label: e.src }).label + ' ' + e.kind + ' ' +
      (byId.get(e.dst) || { label: e.dst }).label + (e.source ? ' (' + e.source + ')' : '');
    edgeEls.set(e.id, line);
    if (LABELS[e.kind]) {
      // Its words and place are set by place(), for the drawing shown.
      labelEls.set(e.id, el('text', { 'class': 'edge-label', 'data-id': e.id }, labelLayer));
    }
  });
  nodes.forEach(function (n) {
    var g = el('g', {
      'class': 'node kind-' + n.kind + (n.full ? ' full' : '') + (n.finding ? ' finding' : '') +
        (n.observed ? ' observed' : ''),
      'data-id': n.id, 'data-name': n.name
    }, nodeLayer);
    el('rect', { width: n.w, height: n.h, rx: n.kind === 'future' || n.kind === 'thread' ? 10 : 2 }, g);
    var name = el('text', { x: 8, y: 15 }, g);
    var shown = n.display || n.name;
    // Long names keep their end, which tells them apart (Pool.java:22#2), and their start.
    name.textContent = shown.length > 24 ? shown.slice(0, 10) + '…' + shown.slice(-13) : shown;
    var kind = el('text', { x: 8, y: 28, 'class': 'kind' }, g);
    var sub = n.subtitle || n.kind;
    kind.textContent = (sub.length > 30 ? sub.slice(0, 12) + '…' + sub.slice(-17) : sub) +
      (n.full ? ' (full)' : '') + (n.observed ? ' (seen by the JVM)' : '');
    var t = el('title', {}, g);
    t.textContent = n.label + ' (' + n.source + ')';
    g.addEventListener('click', function (ev) { ev.stopPropagation(); inspect(n.id); });
    nodeEls.set(n.id, g);
  });

  /** Fits the drawn nodes into the view: never larger than 1.5 px per unit, centred. */
  function fit() {
    var r = svg.getBoundingClientRect();
    var vw = r.width || 800, vh = r.height || 500;
    var minX = Infinity, minY = Infinity, maxX = -Infinity, maxY = -Infinity;
    nodes.forEach(function (n) {
      if (nodeEls.get(n.id).classList.contains('hidden')) return;
      var p = pos(n);
      minX = Math.min(minX, p[0]); minY = Math.min(minY, p[1]);
      maxX = Math.max(maxX, p[0] + n.w); maxY = Math.max(maxY, p[1] + n.h);
    });
    if (minX === Infinity) { minX = 0; minY = 0; maxX = 100; maxY = 100; }
    var pad = 40, w = maxX - minX + 2 * pad, h = maxY - minY + 2 * pad;
    var cap = mode === 'focus' ? 1.5 : 1;
    var k = Math.min(vw / w, vh / h, cap);
    var uw = vw / k, uh = vh / k;
    view = { x: minX - pad - (uw - w) / 2, y: minY - pad - (uh - h) / 2, w: uw, h: uh };
    applyView();
  }

  // ---- filters, timeline, state ----
  var search = document.getElementById('search');
  var scopeSel = document.getElementById('scope');
  var kindsBox = document.getElementById('kinds');
  var slider = document.getElementById('timeline');
  var timeLabel = document.getElementById('time-label');
  var hiddenKinds = new Set();
  var kinds = Array.from(new Set(nodes.map(function (n) { return n.kind; }))).sort();
  kinds.forEach(function (k) {
    var label = document.createElement('label');
    var box = document.createElement('input');
    box.type = 'checkbox'; box.checked = true; box.value = k;
    box.addEventListener('change', function () {
      if (box.checked) hiddenKinds.delete(k); else hiddenKinds.add(k);
      update();
    });
    label.appendChild(box);
    label.appendChild(document.createTextNode(' ' + k));
    kindsBox.appendChild(label);
  });
  (data.scopes || []).forEach(function (s) {
    var o = document.createElement('option');
    o.value = s.id; o.textContent = s.kind + ' ' + s.name;
    scopeSel.appendChild(o);
  });
  var firstSeq = (data.first_seq || data.seq) - 1;
  slider.min = String(firstSeq);
  slider.max = String(data.seq);
  slider.value = String(data.seq);
  var changeAt = new Map();
  (data.changes || []).forEach(function (c) { changeAt.set(c.seq, c); });

  function update() {
    var seq = Number(slider.value);
    var q = search.value.trim().toLowerCase();
    var scope = scopeSel.value;
    var visible = new Set();
    nodes.forEach(function (n) {
      var show = alive(n.alive, seq) && !hiddenKinds.has(n.kind) &&
        (mode !== 'focus' || focusIds.has(n.id)) &&
        (!scope || (n.scopes || []).indexOf(scope) >= 0);
      var g = nodeEls.get(n.id);
      g.classList.toggle('hidden', !show);
      g.classList.toggle('dim', show && q !== '' && n.name.toLowerCase().indexOf(q) < 0 && n.id.toLowerCase().indexOf(q) < 0);
      g.classList.remove('waiting', 'held');
      if (show) visible.add(n.id);
    });
    edges.forEach(function (e) {
      var line = edgeEls.get(e.id);
      if (!line) return;
      var show = alive(e.alive, seq) && visible.has(e.src) && visible.has(e.dst) &&
        (mode !== 'focus' || !!e.fpoints);
      line.classList.toggle('hidden', !show);
      var label = labelEls.get(e.id);
      if (label) label.classList.toggle('hidden', !show);
      if (show && e.kind === 'waiting_on') nodeEls.get(e.src).classList.add('waiting');
      if (show && e.kind === 'holds') nodeEls.get(e.dst).classList.add('held');
    });
    var c = changeAt.get(seq);
    timeLabel.textContent = seq >= data.seq ? 'at the snapshot (seq ' + seq + ')' :
      seq < (data.first_seq || 0) ? 'before the recorded journal' :
      'seq ' + seq + (c ? ': ' + c.text : '');
    renderEvents(seq);
  }

  function renderEvents(seq) {
    var list = document.getElementById('events');
    list.textContent = '';
    (data.events || []).forEach(function (ev) {
      var target = byId.get(ev.target);
      var li = text('li', (target ? target.label : ev.target) + ': ' + ev.text + ' (' + ev.source + ')', list);
      if (ev.seq !== null && ev.seq !== undefined && ev.seq > seq) li.className = 'future';
    });
  }

  function inspect(id) {
    var n = byId.get(id);
    var box = document.getElementById('inspector');
    box.textContent = '';
    nodeEls.forEach(function (g) { g.classList.remove('selected'); });
    if (!n) return;
    nodeEls.get(id).classList.add('selected');
    text('h2', n.label, box);
    var dl = document.createElement('dl');
    function row(k, v) { text('dt', k, dl); text('dd', v, dl); }
    row('id', n.id);
    row('kind', n.kind);
    row('source', n.source + ' (' + n.source_method + ')');
    row('scopes', (n.scopes || []).map(function (s) { return scopeNames.get(s) || s; }).join(', ') || '—');
    var body = n.body || {};
    Object.keys(body).forEach(function (k) {
      if (k === 'kind') return;
      var v = body[k];
      row(k, typeof v === 'object' ? JSON.stringify(v) : String(v));
    });
    edges.forEach(function (e) {
      if (e.src === id || e.dst === id) {
        var other = byId.get(e.src === id ? e.dst : e.src);
        row(e.src === id ? e.kind + ' →' : '← ' + e.kind,
          (other ? other.label : '?') + (e.source ? ' (' + e.source + ')' : '') + (e.timed ? ' [timed]' : ''));
      }
    });
    box.appendChild(dl);
    var evs = (data.events || []).filter(function (ev) { return ev.target === id; });
    if (evs.length) {
      text('h2', 'events', box);
      var ol = document.createElement('ol');
      evs.forEach(function (ev) { text('li', ev.text + ' (' + ev.source + ')', ol); });
      box.appendChild(ol);
    }
  }

  document.querySelectorAll('.finding[data-index]').forEach(function (div) {
    div.addEventListener('click', function () {
      var f = data.findings[Number(div.getAttribute('data-index'))];
      var on = !div.classList.contains('focused');
      document.querySelectorAll('.finding').forEach(function (d) { d.classList.remove('focused'); });
      nodeEls.forEach(function (g) { g.classList.remove('focus'); });
      if (on) {
        div.classList.add('focused');
        f.entities.forEach(function (id) { var g = nodeEls.get(id); if (g) g.classList.add('focus'); });
      }
    });
  });

  // ---- pan and zoom ----
  var drag = null;
  svg.addEventListener('wheel', function (ev) {
    ev.preventDefault();
    var k = ev.deltaY > 0 ? 1.15 : 1 / 1.15;
    var r = svg.getBoundingClientRect();
    var mx = view.x + (ev.clientX - r.left) / r.width * view.w;
    var my = view.y + (ev.clientY - r.top) / r.height * view.h;
    view = { x: mx - (mx - view.x) * k, y: my - (my - view.y) * k, w: view.w * k, h: view.h * k };
    applyView();
  }, { passive: false });
  svg.addEventListener('mousedown', function (ev) { drag = { x: ev.clientX, y: ev.clientY, v: view }; });
  window.addEventListener('mouseup', function () { drag = null; });
  window.addEventListener('mousemove', function (ev) {
    if (!drag) return;
    var r = svg.getBoundingClientRect();
    view = { x: drag.v.x - (ev.clientX - drag.x) / r.width * drag.v.w,
      y: drag.v.y - (ev.clientY - drag.y) / r.height * drag.v.h, w: drag.v.w, h: drag.v.h };
    applyView();
  });

  search.addEventListener('input', function () {
    // A search is over the whole graph: what it looks for may be outside the finding.
    if (mode === 'focus' && search.value.trim() !== '') setMode('all'); else update();
  });
  scopeSel.addEventListener('change', update);
  slider.addEventListener('input', update);
  var showAll = document.getElementById('show-all');
  function setMode(m) {
    mode = m;
    showAll.textContent = mode === 'focus' ? 'show the whole graph' : 'show the finding only';
    document.body.setAttribute('data-mode', mode);
    place();
    update();
    fit();
  }
  if (focusIds.size === 0) showAll.disabled = true;
  showAll.addEventListener('click', function () { setMode(mode === 'focus' ? 'all' : 'focus'); });
  document.getElementById('fit').addEventListener('click', fit);
  window.addEventListener('resize', fit);
  var copyButton = document.getElementById('copy');
  copyButton.addEventListener('click', function () {
    var area = document.getElementById('copy-text');
    area.hidden = false;
    area.focus();
    area.select();
    var done = document.getElementById('copied');
    var said = function (t) { done.textContent = t; };
    if (navigator.clipboard && navigator.clipboard.writeText) {
      navigator.clipboard.writeText(area.value).then(
        function () { said('copied to the clipboard'); },
        function () { said(document.execCommand('copy') ? 'copied' : 'select the text below and copy it'); });
    } else {
      said(document.execCommand('copy') ? 'copied' : 'select the text below and copy it');
    }
  });
  setMode(mode);
  var firstFinding = (data.findings || []).find(function (f) { return f.certainty !== 'warning'; });
  if (firstFinding && firstFinding.entities.length) inspect(firstFinding.entities[0]);
  document.body.setAttribute('data-ready', 'true');
})();
