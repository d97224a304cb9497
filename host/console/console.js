// The console's shell: asks for the admin token when the pool needs one,
// routes #/fleet, #/incidents[/<id>], #/nodes/<id>, #/agents, #/pipeline to
// their views, and stops a view's polling and streams when it is left.
import { AuthError, needsToken, token, setToken, forgetToken } from './api.js';
import { fill, problem } from './dom.js';
import * as fleet from './view_fleet.js';
import * as incidents from './view_incidents.js';
import * as node from './view_node.js';
import * as agents from './view_agents.js';
import * as pipeline from './view_pipeline.js';

const routes = { fleet, incidents, nodes: node, agents, pipeline };
const main = document.getElementById('view');
const status = document.getElementById('status');
let current = null;  // {abort: AbortController, timers: []}

export function setStatus(text, ok = true) {
  status.textContent = text;
  status.classList.toggle('bad', !ok);
}

function askForToken(why) {
  const dialog = document.getElementById('token-dialog');
  const problemEl = document.getElementById('token-problem');
  problemEl.hidden = !why;
  problemEl.textContent = why || '';
  if (!dialog.open) dialog.showModal();
  document.getElementById('token-input').focus();
}

document.getElementById('token-form').addEventListener('submit', () => {
  setToken(document.getElementById('token-input').value.trim());
  document.getElementById('token-input').value = '';
  show();
});
document.getElementById('sign-out').addEventListener('click', () => {
  forgetToken();
  askForToken('');
});

// What a view gets: its abort signal, polling that ends with the view, and
// `ready(name)`, which marks the page for tests and records the first render.
function viewContext() {
  const abort = new AbortController();
  const timers = [];
  current = { abort, timers };
  return {
    signal: abort.signal,
    every(ms, fn) {
      const run = async () => {
        if (abort.signal.aborted) return;
        try { await fn(); setStatus('updated ' + new Date().toLocaleTimeString()); } catch (e) { report(e); }
      };
      timers.push(setInterval(run, ms));
    },
    ready(name) {
      document.body.dataset.ready = name;
      if (!document.body.dataset.firstRenderMs) document.body.dataset.firstRenderMs = String(Math.round(performance.now()));
    },
  };
}

function report(e) {
  if (e instanceof AuthError) { askForToken('The admin API refused the token. Enter it again.'); return; }
  setStatus(e.message, false);
}

async function show() {
  if (current) { current.abort.abort(); current.timers.forEach(clearInterval); }
  delete document.body.dataset.ready;
  const [name, ...rest] = location.hash.replace(/^#\/?/, '').split('/');
  const view = routes[name] || fleet;
  for (const a of document.querySelectorAll('#nav a')) a.classList.toggle('active', a.dataset.view === (routes[name] ? name : 'fleet').replace('nodes', 'fleet'));
  try {
    if (await needsToken()) {
      document.getElementById('sign-out').hidden = false;
      if (!token()) { askForToken(''); return; }
    }
    const ctx = viewContext();
    fill(main);
    await view.render(main, rest.map(decodeURIComponent), ctx);
    setStatus('updated ' + new Date().toLocaleTimeString());
  } catch (e) {
    if (e instanceof AuthError) { askForToken('The admin API refused the token. Enter it again.'); return; }
    fill(main, problem(e.message));
    setStatus(e.message, false);
  }
}

window.addEventListener('hashchange', show);
show();
