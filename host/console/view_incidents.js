// Incidents: a timeline by chain and kind folded from the Pattern
// Recognizer's documents in the insight history (newest 200, older pages on
// demand), kept live by the `patterns` stream. Clicking one shows its nodes,
// the pattern's evidence, the recommendations citing it with the agents'
// scores and drivers, and what each agent says about its nodes now.
import { api, follow } from './api.js';
import { h, s, fill, fmt, fmtDateTime, problem } from './dom.js';

const PAGE = 200;

export async function render(root, params, ctx) {
  const selected = params[0] || null;
  const book = { incidents: new Map(), open: null, from: null, next: null, docs: 0 };
  const timeline = h('section', { id: 'incident-timeline' });
  const list = h('section', { id: 'incident-list' });
  const detail = h('section', { id: 'incident-detail' });
  root.append(h('h1', {}, 'Incidents'), timeline, detail, list);

  const page = await api('api/v1/pool/insights?topic=patterns&limit=' + PAGE);
  absorb(book, page, true);
  const redraw = () => { drawTimeline(timeline, book, selected); drawList(list, book, selected, loadOlder); };
  async function loadOlder() {
    absorb(book, await api(`api/v1/pool/insights?topic=patterns&limit=${PAGE}&after=${encodeURIComponent(book.next)}`), false);
    redraw();
  }
  redraw();
  if (selected) {
    const inc = book.incidents.get(selected);
    if (inc) await drawDetail(detail, inc, book);
    else fill(detail, problem(`Incident ${selected} is not in the ${fmt(book.docs)} newest patterns documents.`));
  }
  ctx.ready(selected ? 'incident' : 'incidents');

  // Live: each new patterns document updates the book; redrawn at most every 2 s.
  let pending = false;
  follow('patterns', (item) => {
    foldDoc(book, item.data, true);
    if (pending) return;
    pending = true;
    setTimeout(() => { pending = false; if (!ctx.signal.aborted) redraw(); }, 2000);
  }, ctx.signal);
}

function absorb(book, page, newest) {
  book.from = page.from;
  book.next = page.next || null;
  // Newest first: the first document's `active` is the recognizer's current view.
  page.insights.forEach((item, i) => foldDoc(book, item.data, newest && i === 0));
  book.docs += page.insights.length;
}

function foldDoc(book, doc, current) {
  if (!doc || typeof doc !== 'object') return;
  if (current && Array.isArray(doc.active)) book.open = new Set(doc.active.map((i) => i.id));
  for (const key of ['started', 'active', 'ended']) {
    for (const inc of doc[key] || []) {
      const known = book.incidents.get(inc.id);
      if (!known) { book.incidents.set(inc.id, { ...inc }); continue; }
      if ((inc.last_seen ?? 0) >= (known.last_seen ?? 0)) Object.assign(known, inc);
      if (inc.end != null) { known.end = inc.end; known.end_reason = inc.end_reason; }
    }
  }
}

const nodesOf = (inc) => inc.nodes || (inc.node_id ? [inc.node_id] : []);
const isOpen = (book, inc) => (book.open ? book.open.has(inc.id) : inc.end == null);
const endOf = (inc) => inc.end ?? inc.last_seen ?? inc.start;

function drawTimeline(el, book, selected) {
  const all = [...book.incidents.values()].filter((i) => Number.isFinite(i.start));
  if (!all.length) {
    fill(el, h('p', { class: 'none' }, `No incident in the ${fmt(book.docs)} newest patterns documents (${book.from || '–'}).`));
    return;
  }
  const lanes = [...new Set(all.map((i) => `${i.chain_id} · ${i.kind}`))].sort();
  const t0 = Math.min(...all.map((i) => i.start));
  const t1 = Math.max(...all.map(endOf), t0 + 60);
  const width = 960, lane = 26, left = 170, top = 18;
  const X = (t) => left + ((t - t0) / (t1 - t0)) * (width - left - 10);
  const svg = s('svg', { class: 'timeline', viewBox: `0 0 ${width} ${top + lanes.length * lane + 8}` });
  [t0, (t0 + t1) / 2, t1].forEach((t, k) => svg.append(s('text', { x: X(t), y: 12, class: 'tick', 'text-anchor': ['start', 'middle', 'end'][k] }, fmtDateTime(t))));
  lanes.forEach((name, k) => {
    svg.append(s('text', { x: left - 8, y: top + k * lane + 17, class: 'lane', 'text-anchor': 'end' }, name));
    svg.append(s('line', { x1: left, x2: width - 10, y1: top + (k + 1) * lane, y2: top + (k + 1) * lane, class: 'grid' }));
  });
  for (const inc of all) {
    const k = lanes.indexOf(`${inc.chain_id} · ${inc.kind}`);
    const bar = s('rect', {
      x: X(inc.start), y: top + k * lane + 5, width: Math.max(4, X(endOf(inc)) - X(inc.start)), height: lane - 10, rx: 3,
      class: `bar ${inc.severity?.label || ''} ${isOpen(book, inc) ? 'open' : ''} ${inc.id === selected ? 'selected' : ''}`,
      dataset: { incident: inc.id },
    }, s('title', {}, `${inc.id}\n${nodesOf(inc).join(', ')}`));
    bar.addEventListener('click', () => { location.hash = '#/incidents/' + encodeURIComponent(inc.id); });
    svg.append(bar);
  }
  fill(el, h('p', { class: 'hint' }, `From the ${fmt(book.docs)} newest patterns documents (${book.from}); record time. Click an incident.`), svg);
}

function drawList(el, book, selected, loadOlder) {
  const all = [...book.incidents.values()].sort((a, b) => (b.start ?? 0) - (a.start ?? 0));
  const rows = all.map((inc) => h('tr', { class: inc.id === selected ? 'selected' : '' },
    h('td', {}, h('a', { href: '#/incidents/' + encodeURIComponent(inc.id) }, inc.kind)),
    h('td', {}, inc.chain_id), h('td', {}, h('span', { class: 'sev ' + (inc.severity?.label || '') }, inc.severity?.label || '–'), ' ', fmt(inc.severity?.score, 2)),
    h('td', {}, fmtDateTime(inc.start)), h('td', {}, isOpen(book, inc) ? 'open' : `ended ${inc.end_reason || ''}`),
    h('td', {}, nodesOf(inc).slice(0, 6).join(', ') + (nodesOf(inc).length > 6 ? ` +${nodesOf(inc).length - 6}` : ''))));
  fill(el, h('h2', {}, 'All incidents ', h('small', {}, `${all.length}`)),
    h('table', {}, h('thead', {}, h('tr', {}, ['kind', 'chain', 'severity', 'start', 'status', 'nodes'].map((c) => h('th', {}, c)))), h('tbody', {}, rows)),
    book.next ? h('button', { onclick: loadOlder }, 'Load older patterns documents') : null);
}

async function drawDetail(el, inc, book) {
  const nodes = nodesOf(inc);
  fill(el, h('h2', {}, `${inc.kind} on ${inc.chain_id}`, ' ', h('small', {}, inc.id)),
    h('p', {}, `severity ${inc.severity?.label} (${fmt(inc.severity?.score, 2)}) · start ${fmtDateTime(inc.start)} · last seen ${fmtDateTime(inc.last_seen)} · `,
      isOpen(book, inc) ? 'open' : `ended ${fmtDateTime(inc.end)} (${inc.end_reason || 'left the window'})`),
    h('h3', {}, 'Nodes'),
    h('ul', { id: 'incident-nodes', class: 'inline' }, nodes.map((n) => h('li', {}, h('a', { href: '#/nodes/' + encodeURIComponent(n) }, n)))),
    h('h3', {}, 'Evidence'),
    h('table', {}, h('thead', {}, h('tr', {}, ['metric', 'value', 'baseline', 'deviation'].map((c) => h('th', {}, c)))),
      h('tbody', {}, (inc.evidence || []).map((e) => h('tr', {}, h('td', {}, e.metric), h('td', { class: 'num' }, fmt(e.value, 2)),
        h('td', { class: 'num' }, fmt(e.baseline, 2)), h('td', { class: 'num' }, e.deviation == null ? '–' : (e.deviation * 100).toFixed(0) + ' %'))))));
  const recs = h('div', { id: 'incident-recommendations' }, h('p', { class: 'none' }, 'looking for recommendations…'));
  const now = h('div', { id: 'incident-agents' }, h('p', { class: 'none' }, 'asking the agents…'));
  el.append(h('h3', {}, 'Recommendations citing it'), recs, h('h3', {}, 'What the agents say about its nodes now'), now);
  await Promise.all([drawRecommendations(recs, inc, nodes, book), drawAgentsNow(now, nodes.slice(0, 8))]);
}

async function drawRecommendations(el, inc, nodes, book) {
  try {
    const path = book.from === 'history' && nodes.length
      ? `api/v1/pool/insights?topic=decisions&node_id=${encodeURIComponent(nodes[0])}&limit=50`
      : 'api/v1/pool/insights?topic=decisions&limit=50';
    const page = await api(path);
    const seen = new Map();  // newest first: the first recommendation per target is the current one
    for (const item of page.insights)
      for (const r of item.data.recommendations || [])
        if ((r.evidence?.incidents || []).some((i) => i.id === inc.id) && !seen.has(r.target)) seen.set(r.target, r);
    if (!seen.size) { fill(el, h('p', { class: 'none' }, `No recommendation in the ${page.insights.length} newest decisions documents cites this incident.`)); return; }
    fill(el, h('table', {}, h('thead', {}, h('tr', {}, ['target', 'action', 'score', 'reason', 'Analyst', 'Resonant', 'Archivist'].map((c) => h('th', {}, c)))),
      h('tbody', {}, [...seen.values()].map((r) => h('tr', {},
        h('td', {}, r.target_type === 'node' ? h('a', { href: '#/nodes/' + encodeURIComponent(r.target) }, r.target) : r.target),
        h('td', {}, h('b', {}, r.action)), h('td', { class: 'num' }, fmt(r.score, 2)), h('td', { class: 'reason' }, r.reason),
        h('td', { class: 'wrap' }, analystCell(r.evidence?.agents?.analyst)), h('td', { class: 'wrap' }, resonantCell(r.evidence?.agents?.resonant)),
        h('td', { class: 'wrap' }, archivistCell(r.evidence?.agents?.archivist)))))));
  } catch (e) {
    fill(el, problem(e.message));
  }
}

export function analystCell(a) {
  if (!a) return '–';
  return h('span', {}, h('b', {}, fmt(a.score, 2)), (a.drivers || []).length ? ' · ' + a.drivers.map((d) => `${d.feature} ${fmt(d.error, 2)}`).join(', ') : '');
}
export function resonantCell(r) {
  if (!r) return '–';
  return `health ${fmt(r.health, 2)}` + (r.band ? ` (${r.band})` : '');
}
export function archivistCell(a) {
  if (!a) return '–';
  const check = (c) => (c ? `${fmt(c.forecast, 1)} forecast / ${fmt(c.actual, 1)} actual` : '–');
  return `blocks ${check(a.next_blocks)} · tx ${check(a.next_transactions)}`;
}

async function drawAgentsNow(el, nodes) {
  const answers = await Promise.all(nodes.map((n) => api('api/v1/console/nodes/' + encodeURIComponent(n)).catch((e) => ({ error: e.message }))));
  const cell = (doc, plugin, show) => {
    const a = (doc.agents || []).find((x) => x.plugin === plugin);
    if (!a) return '–';
    return a.error ? h('span', { class: 'none', title: a.error }, 'not yet: ' + a.error.slice(0, 60)) : show(a.answer);
  };
  fill(el, h('table', {}, h('thead', {}, h('tr', {}, ['node', 'health', 'Analyst score · drivers', 'Resonant', 'Archivist forecast'].map((c) => h('th', {}, c)))),
    h('tbody', {}, answers.map((doc, i) => h('tr', {},
      h('td', {}, h('a', { href: '#/nodes/' + encodeURIComponent(nodes[i]) }, nodes[i])),
      h('td', {}, doc.error ? doc.error : doc.node.health),
      h('td', {}, doc.error ? '–' : cell(doc, 'nebula.agent.analyst', analystCell)),
      h('td', {}, doc.error ? '–' : cell(doc, 'nebula.agent.resonant', resonantCell)),
      h('td', {}, doc.error ? '–' : cell(doc, 'nebula.agent.archivist', (a) => `${fmt(a.forecast?.next_blocks, 2)} blocks, ${fmt(a.forecast?.next_transactions, 0)} tx next`)))))));
}
