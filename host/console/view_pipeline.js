// Pipeline: the YAML graph (components and their `inputs`) drawn left to
// right by depth, each box with its rate, errors and queue from
// /api/v1/pool/stats (rates from the difference between two polls, 3 s apart).
import { api } from './api.js';
import { h, s, fill, fmt } from './dom.js';

const W = 176, H = 66, GAP_X = 44, GAP_Y = 16;

export async function render(root, _params, ctx) {
  const summary = h('section', { class: 'cards', id: 'pipeline-summary' });
  const graph = h('section', { id: 'pipeline-graph' });
  root.append(h('h1', {}, 'Pipeline'), summary, graph);
  const layout = place((await api('api/v1/console/pipeline')).components);
  let before = null;
  async function refresh() {
    const stats = await api('api/v1/pool/stats');
    if (ctx.signal.aborted) return;
    const now = performance.now() / 1000;
    const figures = figuresOf(stats, before, now);
    before = { stats, now };
    drawSummary(summary, stats, figures);
    draw(graph, layout, figures);
  }
  await refresh();
  ctx.ready('pipeline');
  ctx.every(3000, refresh);
}

// Column = 1 + the deepest input (transports and input-less components: 0).
function place(components) {
  const byId = new Map(components.map((c) => [c.id, c]));
  const depth = new Map();
  const depthOf = (c, seen = new Set()) => {
    if (depth.has(c.id)) return depth.get(c.id);
    if (seen.has(c.id)) return 0;  // the loader refuses cycles; never loop here either
    seen.add(c.id);
    const d = Math.max(-1, ...c.inputs.filter((i) => byId.has(i)).map((i) => depthOf(byId.get(i), seen))) + 1;
    depth.set(c.id, d);
    return d;
  };
  const columns = [];
  for (const c of components) (columns[depthOf(c)] ||= []).push(c);
  const pos = new Map();
  columns.forEach((col, x) => col.forEach((c, y) => pos.set(c.id, { x: 10 + x * (W + GAP_X), y: 10 + y * (H + GAP_Y), c })));
  const rows = Math.max(...columns.map((c) => c.length));
  return { components, pos, width: 20 + columns.length * (W + GAP_X) - GAP_X, height: 20 + rows * (H + GAP_Y) - GAP_Y };
}

// {id: {rate, errors, queue, note}} from the stats (and the previous poll).
function figuresOf(stats, before, now) {
  const dt = before ? now - before.now : 0;
  const rate = (cur, prev) => (before && dt > 0 && prev !== undefined ? (cur - prev) / dt : null);
  const prev = (list, id) => (before ? (before.stats[list] || []).find((x) => (x.id ?? x.component) === id) : undefined);
  const out = {};
  for (const t of stats.transports) out[t.id] = { note: t.ready ? 'ready' : 'not ready: ' + (t.not_ready_reason || '') , bad: !t.ready };
  for (const p of stats.processors) out[p.id] = { rate: rate(p.calls, prev('processors', p.id)?.calls), rateUnit: 'calls/s', errors: p.failures, queue: p.inbox, note: `stage ${p.stage}` };
  for (const a of stats.agents) out[a.id] = { queue: a.queue_depth, note: 'agent' };
  for (const k of stats.sinks) out[k.component] = { rate: rate(k.delivered, prev('sinks', k.component)?.delivered), rateUnit: 'delivered/s',
    errors: k.failed_attempts + k.dead_lettered + k.overflowed, queue: k.queue_depth, bad: k.failing, note: k.failing ? 'failing: ' + k.last_error : k.history ? 'keeps history' : 'sink' };
  return out;
}

function drawSummary(el, stats, _figures) {
  const p = stats.pool;
  const card = (label, value, cls = '') => h('div', { class: 'card ' + cls }, h('b', {}, value), h('span', {}, label));
  fill(el, card('ready', stats.ready ? 'yes' : 'no', stats.ready ? 'healthy' : 'degraded'),
    card('records accepted', fmt(p.records_accepted)), card('rejected', fmt(p.records_rejected)),
    card('pool queue', `${fmt(p.queue_depth)} / ${fmt(p.queue_capacity)}`), card('batches', fmt(p.batches)),
    card('uptime', fmt(stats.uptime_s, 0) + ' s'));
}

function draw(el, layout, figures) {
  // Scaled to the page width, but never below 60 % of its natural size (then it scrolls).
  const svg = s('svg', { class: 'graph', viewBox: `0 0 ${layout.width} ${layout.height}`, style: `min-width:${Math.round(layout.width * 0.6)}px` });
  for (const c of layout.components)
    for (const input of c.inputs) {
      const a = layout.pos.get(input), b = layout.pos.get(c.id);
      if (!a || !b) continue;
      const x1 = a.x + W, y1 = a.y + H / 2, x2 = b.x, y2 = b.y + H / 2, mx = (x1 + x2) / 2;
      svg.append(s('path', { d: `M${x1} ${y1} C${mx} ${y1} ${mx} ${y2} ${x2} ${y2}`, class: 'edge' }));
    }
  for (const { x, y, c } of layout.pos.values()) {
    const f = figures[c.id] || {};
    const line = [f.rate != null ? `${fmt(f.rate)} ${f.rateUnit}` : null, f.errors !== undefined ? `${fmt(f.errors)} err` : null,
      f.queue !== undefined ? `queue ${fmt(f.queue)}` : null].filter(Boolean).join(' · ');
    svg.append(s('g', { class: `component ${c.kind} ${f.bad || f.errors > 0 ? 'bad' : ''}`, transform: `translate(${x} ${y})`, dataset: { component: c.id } },
      s('rect', { width: W, height: H, rx: 6 }),
      s('text', { x: 8, y: 17, class: 'id' }, c.id),
      s('text', { x: 8, y: 32, class: 'plugin' }, `${c.kind} · ${c.plugin.replace(/^nebula\.[a-z]+\./, '')}`.slice(0, 32)),
      s('text', { x: 8, y: 47, class: 'figures' }, line || f.note || ''),
      line && f.note ? s('text', { x: 8, y: 60, class: 'plugin' }, f.note.slice(0, 32)) : null));
  }
  fill(el, h('div', { class: 'scroll' }, svg));
}
