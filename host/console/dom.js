// Small DOM and formatting helpers shared by the views.
const SVG_NS = 'http://www.w3.org/2000/svg';

function build(el, attrs, children) {
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === undefined || v === null || v === false) continue;
    if (k.startsWith('on')) el.addEventListener(k.slice(2), v);
    else if (k === 'dataset') Object.assign(el.dataset, v);
    else el.setAttribute(k, v === true ? '' : v);
  }
  for (const c of children.flat(Infinity)) {
    if (c === undefined || c === null || c === false) continue;
    el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return el;
}

// h('a', {href: '#/x'}, 'text', child, [more]) — text is always text, never HTML.
export const h = (tag, attrs, ...children) => build(document.createElement(tag), attrs, children);
export const s = (tag, attrs, ...children) => build(document.createElementNS(SVG_NS, tag), attrs, children);

export function fmt(v, digits = 1) {
  if (v === null || v === undefined || Number.isNaN(v)) return '–';
  if (typeof v !== 'number') return String(v);
  const a = Math.abs(v);
  if (a >= 1e6) return (v / 1e6).toFixed(digits) + 'M';
  if (a >= 1e4) return (v / 1e3).toFixed(digits) + 'k';
  if (Number.isInteger(v)) return String(v);
  return v.toFixed(a < 1 ? Math.max(digits, 3) : digits);
}

export function fmtBytes(v) {
  if (v === null || v === undefined) return '–';
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let i = 0;
  while (v >= 1024 && i < units.length - 1) { v /= 1024; ++i; }
  return (i ? v.toFixed(1) : String(v)) + ' ' + units[i];
}

const pad2 = (n) => String(n).padStart(2, '0');

// Seconds since the epoch as the browser's local HH:MM(:SS).
export function fmtClock(t, seconds = false) {
  if (!Number.isFinite(t)) return '–';
  const d = new Date(t * 1000);
  return pad2(d.getHours()) + ':' + pad2(d.getMinutes()) + (seconds ? ':' + pad2(d.getSeconds()) : '');
}

export function fmtDateTime(t) {
  if (!Number.isFinite(t)) return '–';
  const d = new Date(t * 1000);
  return `${d.getFullYear()}-${pad2(d.getMonth() + 1)}-${pad2(d.getDate())} ${fmtClock(t, true)}`;
}

export const badge = (health) => h('span', { class: 'badge ' + health }, health);

// Replaces the children of `el` with `children`.
export function fill(el, ...children) {
  el.replaceChildren();
  build(el, {}, children);
  return el;
}

export function problem(message) {
  return h('p', { class: 'problem' }, message);
}
