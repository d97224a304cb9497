// Agents: training and validation loss against steps (the host samples each
// agent's stats every 5 s), model versions with their architecture and
// what earned each promotion, examples learned and dropped, and a rollback
// to a kept version through the agents' own rollback action
// (POST /api/v1/agents/{name}/query {"action":"rollback","version":N}).
import { api } from './api.js';
import { h, fill, fmt, fmtDateTime, problem } from './dom.js';
import { lineChart } from './charts.js';

export async function render(root, _params, ctx) {
  const list = h('section', { id: 'agent-list' });
  root.append(h('h1', {}, 'Agents'), list);
  async function refresh() {
    const [agents, hist] = await Promise.all([api('api/v1/agents'), api('api/v1/console/history')]);
    if (ctx.signal.aborted) return;
    if (!agents.agents.length) { fill(list, h('p', { class: 'none' }, 'This pipeline has no agent.')); return; }
    fill(list, agents.agents.map((a) => card(a, hist.agents[a.name])));
  }
  await refresh();
  ctx.ready('agents');
  ctx.every(10000, refresh);
}

function card(a, series) {
  const st = a.stats || {};
  // The host's samples (every 5 s), and the agent's figures right now as the newest point.
  const col = (key, now) => [...(series ? series[key] : []), now ?? null];
  const steps = col('steps', st.steps), time = col('time', Date.now() / 1000);
  const opt = st.optimisation || {};
  return h('article', { class: 'panel agent', dataset: { agent: a.name } },
    h('h2', {}, a.name, ' ', h('small', {}, `${a.plugin} · model v${fmt(st.version)} · ${fmt(st.steps)} steps`)),
    h('div', { class: 'cards' },
      h('div', { class: 'card' }, h('b', {}, fmt(st.train_loss, 4)), h('span', {}, 'training loss')),
      h('div', { class: 'card' }, h('b', {}, fmt(st.val_loss, 4)), h('span', {}, `validation loss (${fmt(st.val_samples)} held out)`)),
      h('div', { class: 'card' }, h('b', {}, fmt(st.samples_seen ?? st.examples)), h('span', {}, 'examples learned')),
      h('div', { class: 'card' }, h('b', {}, fmt((st.examples_skipped ?? 0) + (a.skipped ?? 0))),
        h('span', {}, `dropped (${fmt(st.examples_skipped ?? 0)} unusable, ${fmt(a.skipped ?? 0)} not sampled)`)),
      h('div', { class: 'card' }, h('b', {}, fmt(a.queue_depth)), h('span', {}, 'queued insights')),
      h('div', { class: 'card' }, h('b', {}, a.checkpoint_status || '–'), h('span', {}, a.last_checkpoint_time ? `checkpoint ${fmtDateTime(a.last_checkpoint_time)}` : 'no checkpoint written yet'))),
    a.last_error ? problem('last error: ' + a.last_error) : null,
    h('div', { class: 'charts' },
      lineChart({ title: 'Loss against steps', xFormat: (x) => fmt(x, 0), zero: false, series: [
        { name: 'training', x: steps, y: col('train_loss', st.train_loss) },
        { name: 'validation', x: steps, y: col('val_loss', st.val_loss), dashed: true }] }),
      lineChart({ title: 'Examples', series: [
        { name: 'learned', x: time, y: col('samples_seen', st.samples_seen) },
        { name: 'skipped', x: time, y: col('examples_skipped', st.examples_skipped), dashed: true }] })),
    h('h3', {}, 'Model versions ', h('small', {}, `optimisation every ${fmt(opt.every_steps)} steps: ${fmt(opt.runs)} runs, ${fmt(opt.promotions)} promotions, ${fmt(opt.rollbacks)} rollbacks`)),
    versions(a, st));
}

function versions(a, st) {
  const kept = new Set(st.kept_versions || []);
  const result = h('p', { class: 'hint', 'aria-live': 'polite' });
  const rows = (st.lineage || []).slice().reverse().map((v) => h('tr', { class: v.version === st.version ? 'selected' : '' },
    h('td', {}, 'v' + v.version, v.version === st.version ? ' (current)' : ''), h('td', {}, v.parent ? 'v' + v.parent : '–'),
    h('td', { class: 'num' }, fmt(v.created_at_step)), h('td', {}, v.architecture?.layers || JSON.stringify(v.architecture?.hidden)),
    h('td', { class: 'num' }, fmt(v.learning_rate, 4)), h('td', {}, v.origin),
    h('td', { class: 'num' }, fmt(v.val_loss, 4)), h('td', { class: 'num' }, fmt(v.parent_val_loss, 4)),
    h('td', {}, kept.has(v.version) && v.version !== st.version ? rollback(a.name, v.version, result) : '')));
  return h('div', {}, h('table', {}, h('thead', {}, h('tr', {}, ['version', 'parent', 'at step', 'architecture', 'learning rate', 'origin',
    'val loss', 'parent val loss', ''].map((c) => h('th', {}, c)))), h('tbody', {}, rows)), result);
}

// Two clicks, no dialog: the first arms the button, the second rolls back.
function rollback(agent, version, result) {
  const button = h('button', { class: 'danger', dataset: { rollback: version } }, `Roll back to v${version}`);
  button.addEventListener('click', async () => {
    if (!button.dataset.armed) { button.dataset.armed = '1'; button.textContent = `Confirm: roll ${agent} back to v${version}`; return; }
    button.disabled = true;
    try {
      const answer = await api(`api/v1/agents/${encodeURIComponent(agent)}/query`, { action: 'rollback', version });
      // Shown until the next refresh (10 s) redraws the versions with the new current one.
      fill(result, `${agent} rolled back: ${JSON.stringify(answer)}`);
    } catch (e) {
      fill(result, problem('rollback refused: ' + e.message));
      button.disabled = false;
    }
  });
  return button;
}
