// One node: its metrics over its last hour of record time (the host's fleet
// store, one-minute means), what each agent says about it now, and the
// agents' checks of it over time from the insight history: the Analyst's
// score, Resonant's expected against observed health, the Archivist's
// forecast against what happened.
import { api } from './api.js';
import { h, fill, fmt, fmtDateTime, badge } from './dom.js';
import { lineChart } from './charts.js';

const METRICS = [
  ['height_lag', 'Height lag', 'blocks'], ['peers', 'Peers', ''], ['latency_ms', 'Latency', 'ms'],
  ['tx_rate', 'Transaction rate', 'tx/s'], ['cpu_usage', 'CPU', '%'], ['memory_usage', 'Memory', '%'],
];

export async function render(root, params, ctx) {
  const id = params[0];
  const head = h('section', { id: 'node-head' });
  const charts = h('section', { class: 'charts', id: 'node-charts' });
  const agents = h('section', { class: 'agents', id: 'node-agents' });
  root.append(head, h('h2', {}, 'Last hour ', h('small', {}, 'record time, one-minute means')), charts, agents);
  async function refresh() {
    const doc = await api('api/v1/console/nodes/' + encodeURIComponent(id));
    if (ctx.signal.aborted) return;
    drawHead(head, doc.node);
    const t = doc.series.time;
    fill(charts, METRICS.map(([key, title, unit]) => lineChart({ title, unit, series: [{ name: key, x: t, y: doc.series[key] }] })));
    drawAgents(agents, doc);
  }
  await refresh();
  ctx.ready('node');
  ctx.every(10000, refresh);
}

function drawHead(el, n) {
  fill(el, h('h1', {}, n.node_id, ' ', badge(n.health)),
    h('p', {}, `chain ${n.chain_id || '–'} · type ${n.node_type || '–'} · height ${fmt(n.height)} · newest record ${fmtDateTime(n.last_record)} (received ${fmt(n.seen_s_ago, 0)} s ago)`),
    n.incidents ? h('p', {}, 'In incident: ', n.incidents.map((i) => h('a', { href: '#/incidents/' + encodeURIComponent(i), class: 'pill' }, i))) : null);
}

const agentOf = (doc, plugin) => (doc.agents || []).find((a) => a.plugin === plugin);
const checksOf = (doc, topic) => doc.history?.[topic] || { error: 'no history' };

function panel(title, agent, now, history) {
  return h('div', { class: 'panel' }, h('h3', {}, title, agent ? h('small', {}, ` ${agent.name} · model v${agent.answer?.model_version ?? '–'}`) : null),
    !agent ? h('p', { class: 'none' }, 'This pipeline has no such agent.')
      : agent.error ? h('p', { class: 'none' }, 'Nothing on this node yet: ' + agent.error) : now(agent.answer),
    history.error ? h('p', { class: 'none' }, history.error) : history.chart());
}

const clock = (x) => fmtDateTime(x).slice(11, 16);
const at = (checks) => checks.map((c) => c.as_of);

function analystNow(a) {
  return h('div', {},
    h('p', {}, h('b', { class: 'big' }, fmt(a.score, 2)), ` score · autoencoder ${fmt(a.autoencoder_score, 2)} · reconstruction z ${fmt(a.reconstruction_z, 2)}`,
      (a.patterns || []).length ? ' · patterns ' + a.patterns.join(', ') : ''),
    h('table', { class: 'drivers' }, h('thead', {}, h('tr', {}, h('th', {}, 'driver'), h('th', {}, 'error'))),
      h('tbody', {}, (a.drivers || []).map((d) => h('tr', {}, h('td', {}, d.feature), h('td', { class: 'num' }, fmt(d.error, 3)))))));
}

function resonantNow(r) {
  const row = ([name, v]) => h('tr', {}, h('td', {}, name), h('td', { class: 'num' }, fmt(v?.expected, 1)),
    h('td', { class: 'num' }, fmt(v?.observed, 1)), h('td', { class: 'num' }, fmt(v?.z, 2)));
  return h('div', {}, h('p', {}, h('b', { class: 'big' }, fmt(r.health, 2)), ' health'),
    h('table', {}, h('thead', {}, h('tr', {}, ['', 'expected', 'observed', 'z'].map((c) => h('th', {}, c)))),
      h('tbody', {}, [['latency ms', r.latency_ms], ['peers', r.peers]].map(row))));
}

function archivistNow(a) {
  const mae = a.recent_mae || {};
  return h('div', {},
    h('p', {}, 'next interval: ', h('b', {}, fmt(a.forecast?.next_blocks, 2)), ' blocks, ', h('b', {}, fmt(a.forecast?.next_transactions, 0)), ' transactions'),
    h('p', { class: 'hint' }, `recent mean absolute error (model / naive): blocks ${fmt(mae.next_blocks?.model, 2)} / ${fmt(mae.next_blocks?.naive, 2)}, ` +
      `transactions ${fmt(mae.next_transactions?.model, 1)} / ${fmt(mae.next_transactions?.naive, 1)}`));
}

function drawAgents(el, doc) {
  const an = checksOf(doc, 'anomalies'), he = checksOf(doc, 'health'), fc = checksOf(doc, 'forecasts');
  const scoreChart = () => lineChart({ title: 'Score over time', xFormat: clock, series: [
    { name: 'score', x: at(an.checks), y: an.checks.map((c) => c.score) },
    { name: 'autoencoder', x: at(an.checks), y: an.checks.map((c) => c.autoencoder_score), dashed: true }] });
  const healthChart = () => lineChart({ title: 'Latency expected vs observed', unit: 'ms', xFormat: clock, series: [
    { name: 'expected', x: at(he.checks), y: he.checks.map((c) => c.latency_ms?.expected), dashed: true },
    { name: 'observed', x: at(he.checks), y: he.checks.map((c) => c.latency_ms?.observed) }] });
  const forecastChart = () => lineChart({ title: 'Transactions next interval', xFormat: clock, series: [
    { name: 'forecast', x: at(fc.checks), y: fc.checks.map((c) => c.next_transactions?.forecast), dashed: true },
    { name: 'actual', x: at(fc.checks), y: fc.checks.map((c) => c.next_transactions?.actual) }] });
  fill(el,
    panel('Analyst: anomaly score', agentOf(doc, 'nebula.agent.analyst'), analystNow, { error: an.error, chart: scoreChart }),
    panel('Resonant: health, expected vs observed', agentOf(doc, 'nebula.agent.resonant'), resonantNow, { error: he.error, chart: healthChart }),
    panel('Archivist: forecast vs actual', agentOf(doc, 'nebula.agent.archivist'), archivistNow, { error: fc.error, chart: forecastChart }));
}
