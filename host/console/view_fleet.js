// Fleet: nodes per chain and type by health, the pool's ingest rate, queue
// depth and write-ahead log over the last hour (polled every 5 s), and one
// page of nodes, worst first, filterable.
import { api } from './api.js';
import { h, fill, fmt, fmtBytes, badge } from './dom.js';
import { lineChart } from './charts.js';

const HEALTH = ['incident', 'degraded', 'silent', 'healthy'];
const PAGE = 100;

export async function render(root, _params, ctx) {
  const filter = { chain_id: '', node_type: '', health: '', q: '', offset: 0 };
  const cards = h('section', { class: 'cards', id: 'fleet-cards' });
  const groups = h('section', { id: 'fleet-groups' });
  const charts = h('section', { class: 'charts', id: 'fleet-charts' });
  const nodes = h('section', { id: 'fleet-nodes' });
  root.append(h('h1', {}, 'Fleet'), cards, groups, h('h2', {}, 'The pool, last hour'), charts, nodes);

  const query = () => 'api/v1/console/fleet?limit=' + PAGE + '&offset=' + filter.offset +
    ['chain_id', 'node_type', 'health', 'q'].map((k) => filter[k] ? `&${k}=${encodeURIComponent(filter[k])}` : '').join('');

  async function refresh() {
    const [f, hist] = await Promise.all([api(query()), api('api/v1/console/history')]);
    if (ctx.signal.aborted) return;
    drawCards(cards, f, hist.pool);
    drawGroups(groups, f, filter, refresh);
    drawCharts(charts, hist.pool);
    drawNodes(nodes, f, filter, refresh);
  }
  await refresh();
  ctx.ready('fleet');
  ctx.every(5000, refresh);
}

function last(values) {
  for (let i = values.length - 1; i >= 0; --i) if (values[i] !== null) return values[i];
  return null;
}

function drawCards(el, f, pool) {
  const totals = Object.fromEntries(HEALTH.map((k) => [k, f.groups.reduce((a, g) => a + g[k], 0)]));
  const card = (label, value, cls = '') => h('div', { class: 'card ' + cls }, h('b', {}, value), h('span', {}, label));
  fill(el,
    card('nodes', fmt(f.nodes_tracked)),
    HEALTH.map((k) => card(k === 'incident' ? 'in incident' : k, fmt(totals[k]), k)),
    card('open incidents', fmt(f.incidents_open)),
    card('ingest records/s', fmt(last(pool.ingest_rate))),
    card('pool queue', fmt(last(pool.queue_depth))),
    card('write-ahead log', fmtBytes(last(pool.wal_bytes))),
    f.records_untracked ? card(`records of nodes beyond the console's ${fmt(f.nodes_capacity)}-node cap`, fmt(f.records_untracked), 'degraded') : null);
}

function drawGroups(el, f, filter, refresh) {
  const pick = (g, health) => (ev) => {
    ev.preventDefault();
    Object.assign(filter, { chain_id: g.chain_id, node_type: g.node_type, health, offset: 0 });
    refresh();
  };
  const rows = f.groups.map((g) => h('tr', { dataset: { chain: g.chain_id, type: g.node_type } },
    h('td', {}, g.chain_id || '(none)'), h('td', {}, g.node_type || '(none)'),
    h('td', { class: 'num' }, h('a', { href: '#', onclick: pick(g, '') }, fmt(g.total))),
    HEALTH.map((k) => h('td', { class: 'num ' + (g[k] ? k : '') }, g[k] ? h('a', { href: '#', onclick: pick(g, k) }, fmt(g[k])) : '0'))));
  fill(el, h('h2', {}, 'Chains and node types'),
    rows.length ? h('table', {}, h('thead', {}, h('tr', {}, h('th', {}, 'chain'), h('th', {}, 'type'), h('th', {}, 'nodes'),
      HEALTH.map((k) => h('th', {}, k === 'incident' ? 'in incident' : k)))), h('tbody', {}, rows))
      : h('p', { class: 'none' }, 'No node has reported yet.'));
}

function drawCharts(el, pool) {
  fill(el,
    lineChart({ title: 'Ingest', unit: 'records/s', series: [
      { name: 'accepted', x: pool.time, y: pool.ingest_rate },
      { name: 'processed', x: pool.time, y: pool.processed_rate },
      { name: 'rejected', x: pool.time, y: pool.rejected_rate }] }),
    lineChart({ title: 'Pool queue depth', unit: 'records', series: [{ name: 'queue', x: pool.time, y: pool.queue_depth }] }),
    lineChart({ title: 'Write-ahead log', unit: 'MiB', series: [{ name: 'size', x: pool.time, y: pool.wal_bytes.map((b) => b / 1048576) }] }),
    lineChart({ title: 'Insights', unit: '/s', series: [{ name: 'insights', x: pool.time, y: pool.insight_rate }] }));
}

function drawNodes(el, f, filter, refresh) {
  const chains = [...new Set(f.groups.map((g) => g.chain_id))];
  const types = [...new Set(f.groups.map((g) => g.node_type))];
  const select = (key, options) => h('select', { onchange: (e) => { filter[key] = e.target.value; filter.offset = 0; refresh(); } },
    h('option', { value: '' }, 'any ' + key.replace('_id', '').replace('node_', '')),
    options.map((o) => h('option', { value: o, selected: filter[key] === o }, o || '(none)')));
  const search = h('input', { type: 'search', placeholder: 'node id contains…', value: filter.q });
  search.addEventListener('change', () => { filter.q = search.value; filter.offset = 0; refresh(); });
  const page = (delta) => h('button', {
    disabled: delta < 0 ? filter.offset === 0 : filter.offset + 100 >= f.matching,
    onclick: () => { filter.offset = Math.max(0, filter.offset + delta); refresh(); },
  }, delta < 0 ? '‹ previous' : 'next ›');
  const rows = f.nodes.map((n) => h('tr', {},
    h('td', {}, h('a', { href: '#/nodes/' + encodeURIComponent(n.node_id) }, n.node_id)),
    h('td', {}, n.chain_id), h('td', {}, n.node_type), h('td', {}, badge(n.health)),
    h('td', { class: 'num' }, fmt(n.height)), h('td', { class: 'num' }, fmt(n.height_lag)),
    h('td', { class: 'num' }, fmt(n.peers)), h('td', { class: 'num' }, fmt(n.latency_ms)),
    h('td', { class: 'num' }, fmt(n.tx_rate)), h('td', { class: 'num' }, fmt(n.cpu_usage)),
    h('td', { class: 'num' }, fmt(n.memory_usage)), h('td', { class: 'num' }, fmt(n.analyst_score, 2)),
    h('td', {}, n.resonant_band || '–'), h('td', { class: 'num' }, fmt(n.seen_s_ago, 0) + ' s')));
  fill(el, h('h2', {}, 'Nodes ', h('small', {}, `${fmt(f.matching)} matching, worst first`)),
    h('div', { class: 'filters' }, select('chain_id', chains), select('node_type', types), select('health', HEALTH), search,
      page(-100), h('span', {}, `${f.matching ? filter.offset + 1 : 0}–${filter.offset + f.nodes.length}`), page(100)),
    h('table', { class: 'nodes' }, h('thead', {}, h('tr', {}, ['node', 'chain', 'type', 'health', 'height', 'lag', 'peers',
      'latency ms', 'tx/s', 'cpu %', 'mem %', 'analyst', 'resonant', 'seen'].map((c) => h('th', {}, c)))), h('tbody', {}, rows)));
}
