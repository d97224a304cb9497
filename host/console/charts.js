// Line charts drawn as SVG (no library): one or more series over a shared
// numeric x axis (time in seconds, or training steps), gaps where a value
// is null. Every chart says "no data yet" rather than drawing nothing.
import { h, s, fmt, fmtClock } from './dom.js';

export const COLORS = ['#3b6fd8', '#d8643b', '#2f9e6a', '#9b59b6', '#c9a227', '#5f6b7a'];

function extent(values) {
  let lo = Infinity, hi = -Infinity;
  for (const v of values) if (Number.isFinite(v)) { lo = Math.min(lo, v); hi = Math.max(hi, v); }
  return lo <= hi ? [lo, hi] : null;
}

// series: [{name, x: [..], y: [..], color?, dashed?}]
export function lineChart({ title, unit = '', series, xFormat = null, zero = true, width = 460, height = 170 }) {
  const box = h('div', { class: 'chart-box' });
  const legend = h('span', { class: 'legend' }, series.map((sr, i) =>
    h('span', { style: `color:${sr.color || COLORS[i % COLORS.length]}` }, '● ' + sr.name)));
  box.append(h('h3', {}, title, unit ? h('small', {}, ' ' + unit) : null, series.length > 1 ? legend : null));
  const pad = { l: 52, r: 12, t: 8, b: 22 };
  const svg = s('svg', { class: 'chart', viewBox: `0 0 ${width} ${height}`, role: 'img', 'aria-label': title });
  box.append(svg);
  const xs = extent(series.flatMap((sr) => sr.x.filter((_, i) => Number.isFinite(sr.y[i]))));
  let ys = extent(series.flatMap((sr) => sr.y));
  if (!xs || !ys) {
    box.classList.add('empty');
    svg.append(s('text', { x: width / 2, y: height / 2, 'text-anchor': 'middle', class: 'none' }, 'no data yet'));
    return box;
  }
  if (zero) ys = [Math.min(0, ys[0]), ys[1]];
  if (ys[0] === ys[1]) ys = zero && ys[0] === 0 ? [0, 1] : [ys[0] - 1, ys[1] + 1];
  const xspan = xs[1] - xs[0] || 1;
  // Time by default: seconds shown when the span is under ten minutes.
  xFormat ||= (x) => fmtClock(x, xspan < 600);
  const X = (x) => pad.l + ((x - xs[0]) / xspan) * (width - pad.l - pad.r);
  const Y = (y) => height - pad.b - ((y - ys[0]) / (ys[1] - ys[0])) * (height - pad.t - pad.b);
  for (const f of [0, 0.5, 1]) {
    const v = ys[0] + f * (ys[1] - ys[0]);
    svg.append(s('line', { x1: pad.l, x2: width - pad.r, y1: Y(v), y2: Y(v), class: 'grid' }),
      s('text', { x: pad.l - 6, y: Y(v) + 4, 'text-anchor': 'end', class: 'tick' }, fmt(v, 1)));
  }
  const xticks = xs[0] === xs[1] ? [xs[0]] : [xs[0], (xs[0] + xs[1]) / 2, xs[1]];
  xticks.forEach((x, i) => svg.append(s('text', {
    x: X(x), y: height - 6, class: 'tick', 'text-anchor': i === 0 ? 'start' : i === xticks.length - 1 ? 'end' : 'middle',
  }, xFormat(x))));
  series.forEach((sr, i) => {
    const color = sr.color || COLORS[i % COLORS.length];
    let d = '', open = false, points = 0, lone = null;
    sr.x.forEach((x, k) => {
      const y = sr.y[k];
      if (!Number.isFinite(y) || !Number.isFinite(x)) { open = false; return; }
      d += (open ? 'L' : 'M') + X(x).toFixed(1) + ' ' + Y(y).toFixed(1) + ' ';
      lone = open ? null : [X(x), Y(y)];
      open = true;
      ++points;
    });
    if (d) svg.append(s('path', { d, class: 'series', stroke: color, 'stroke-dasharray': sr.dashed ? '5 3' : null, dataset: { points } }));
    if (points === 1 && lone) svg.append(s('circle', { cx: lone[0], cy: lone[1], r: 3, fill: color }));
  });
  return box;
}
