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

  // ---- drawing: one layout for every entity that ever existed ----
  var width = Math.max(data.width || 100, 100), height = Math.max(data.height || 100, 100);
  // Never zoom a small graph beyond its natural size: one layout unit is one pixel at most.
  var box = svg.getBoundingClientRect();
  var view = { x: 0, y: 0, w: Math.max(width, box.width || 0), h: Math.max(height, box.height || 0) };
  function applyView() { svg.setAttribute('viewBox', view.x + ' ' + view.y + ' ' + view.w + ' ' + view.h); }
  applyView();
  var defs = el('defs', {}, svg);
  [['arrow', '#999'], ['arrow-waiting_on', '#e66100'], ['arrow-holds', '#3465a4'], ['arrow-finding', '#c01c28']]
    .forEach(function (m) {
      var marker = el('marker', { id: m[0], viewBox: '0 0 10 10', refX: 9, refY: 5, markerWidth: 7, markerHeight: 7, orient: 'auto-start-reverse' }, defs);
      el('path', { d: 'M 0 0 L 10 5 L 0 10 z', fill: m[1] }, marker);
    });
  var edgeLayer = el('g', { id: 'edges' }, svg);
  var nodeLayer = el('g', { id: 'nodes' }, svg);
  var edgeEls = new Map(), nodeEls = new Map();

  edges.forEach(function (e) {
    var pts = e.points || [];
    if (pts.length < 2) {
      var a = byId.get(e.src), b = byId.get(e.dst);
      if (!a || !b) return;
      // within a pair box: a short link between the two halves
      pts = [[a.x + a.w - 12, a.y + a.h / 2], [b.x + b.w - 12, b.y + b.h / 2]];
    }
    var cls = 'edge kind-' + e.kind + (e.timed ? ' timed' : '') + (e.finding ? ' finding' : '');
    var marker = e.finding ? 'arrow-finding' : (e.kind === 'waiting_on' || e.kind === 'holds') ? 'arrow-' + e.kind : 'arrow';
    var line = el('polyline', {
      points: pts.map(function (p) { return p[0] + ',' + p[1]; }).join(' '),
      'class': cls, 'marker-end': 'url(#' + marker + ')', 'data-id': e.id
    }, edgeLayer);
    var title = el('title', {}, line);
    title.textContent = (byId.get(e.src) || { label: e.src }).label + ' ' + e.kind + ' ' +
      (byId.get(e.dst) || { label: e.dst }).label + (e.source ? ' (' + e.source + ')' : '');
    edgeEls.set(e.id, line);
  });
  nodes.forEach(function (n) {
    var g = el('g', {
      'class': 'node kind-' + n.kind + (n.full ? ' full' : '') + (n.finding ? ' finding' : '') +
        (n.observed ? ' observed' : ''),
      transform: 'translate(' + n.x + ',' + n.y + ')', 'data-id': n.id, 'data-name': n.name
    }, nodeLayer);
    el('rect', { width: n.w, height: n.h, rx: n.kind === 'future' || n.kind === 'thread' ? 10 : 2 }, g);
    var name = el('text', { x: 8, y: 15 }, g);
    name.textContent = n.name.length > 24 ? n.name.slice(0, 23) + '…' : n.name;
    var kind = el('text', { x: 8, y: 28, 'class': 'kind' }, g);
    kind.textContent = n.kind + (n.full ? ' (full)' : '') + (n.observed ? ' (seen by the JVM)' : '');
    var t = el('title', {}, g);
    t.textContent = n.label + ' (' + n.source + ')';
    g.addEventListener('click', function (ev) { ev.stopPropagation(); inspect(n.id); });
    nodeEls.set(n.id, g);
  });

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
      var show = alive(e.alive, seq) && visible.has(e.src) && visible.has(e.dst);
      line.classList.toggle('hidden', !show);
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

  search.addEventListener('input', update);
  scopeSel.addEventListener('change', update);
  slider.addEventListener('input', update);
  update();
  var firstFinding = (data.findings || []).find(function (f) { return f.certainty !== 'warning'; });
  if (firstFinding && firstFinding.entities.length) inspect(firstFinding.entities[0]);
  document.body.setAttribute('data-ready', 'true');
})();
