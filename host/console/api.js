// Talking to the admin API: the bearer token (kept in sessionStorage, this
// tab only), JSON calls, and the live insight stream read with fetch (an
// EventSource cannot send an Authorization header).
const TOKEN_KEY = 'nebula.admin.token';

export class AuthError extends Error {}

let tokenRequired = null;

export async function needsToken() {
  if (tokenRequired === null) {
    const r = await fetch('console/auth.json');
    tokenRequired = r.ok ? (await r.json()).token_required === true : true;
  }
  return tokenRequired;
}

export const token = () => sessionStorage.getItem(TOKEN_KEY) || '';
export const setToken = (t) => sessionStorage.setItem(TOKEN_KEY, t);
export const forgetToken = () => sessionStorage.removeItem(TOKEN_KEY);

function headers(extra = {}) {
  const h = { ...extra };
  if (token()) h.Authorization = 'Bearer ' + token();
  return h;
}

// GET (or POST with `body`) a JSON answer; throws AuthError on 401 and an
// Error carrying the API's own message otherwise.
export async function api(path, body) {
  const init = body === undefined ? { headers: headers() }
    : { method: 'POST', headers: headers({ 'Content-Type': 'application/json' }), body: JSON.stringify(body) };
  const r = await fetch(path, init);
  if (r.status === 401) throw new AuthError('the admin API refused the token');
  const text = await r.text();
  let doc = null;
  try { doc = JSON.parse(text); } catch { /* not JSON: reported below */ }
  if (!r.ok) throw new Error(doc && doc.error ? doc.error : `${path}: HTTP ${r.status}`);
  if (doc === null) throw new Error(`${path}: the answer is not JSON`);
  return doc;
}

// Server-sent events of `topic` until `signal` aborts; calls onEvent(item)
// with the same object GET /api/v1/pool/insights lists. Reconnects after a
// drop (the server closes a stream that falls too far behind).
export async function follow(topic, onEvent, signal, onState = () => {}) {
  while (!signal.aborted) {
    try {
      const r = await fetch('api/v1/pool/insights/stream?topic=' + encodeURIComponent(topic), { headers: headers(), signal });
      if (!r.ok || !r.body) throw new Error('stream: HTTP ' + r.status);
      onState(true);
      const reader = r.body.pipeThrough(new TextDecoderStream()).getReader();
      let buffer = '';
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        buffer += value;
        let end;
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const data = block.split('\n').filter((l) => l.startsWith('data: ')).map((l) => l.slice(6)).join('\n');
          if (data) {
            try { onEvent(JSON.parse(data)); } catch (e) { console.warn('stream event not understood', e); }
          }
        }
      }
    } catch (e) {
      if (signal.aborted) return;
      console.warn('live stream interrupted:', e.message);
    }
    onState(false);
    await new Promise((res) => setTimeout(res, 3000));
  }
}
