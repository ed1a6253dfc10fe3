// @ts-check
/**
 * Plain-SVG charts for the key-group explorer. They draw numbers the API returned; they compute
 * nothing but geometry. Colours come from console.css classes (no inline styles: strict CSP).
 */

const SVG = 'http://www.w3.org/2000/svg';

/**
 * @param {string} tag
 * @param {Record<string, string | number>} attrs
 * @param {string} [text]
 * @returns {SVGElement}
 */
function el(tag, attrs, text) {
  const e = /** @type {SVGElement} */ (document.createElementNS(SVG, tag));
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, String(v));
  if (text !== undefined) e.textContent = text;
  return e;
}

/**
 * Records per subtask as bars, with the mean as a dashed line.
 * @param {HTMLElement} figure
 * @param {number[]} perSubtask loads from /analyze
 * @param {number} mean drawn as a reference line
 * @param {Set<number>} hot subtasks to highlight
 * @param {string} caption
 */
export function drawLoadChart(figure, perSubtask, mean, hot, caption) {
  const W = 800;
  const H = 240;
  const left = 56;
  const bottom = 22;
  const top = 8;
  const plotW = W - left - 8;
  const plotH = H - top - bottom;
  const max = Math.max(mean, ...perSubtask, 1);
  const svg = el('svg', { viewBox: `0 0 ${W} ${H}`, role: 'img', 'aria-label': caption, id: 'load-svg' });
  svg.append(el('line', { class: 'axis', x1: left, y1: top + plotH, x2: W - 8, y2: top + plotH }));
  svg.append(el('text', { x: left - 6, y: top + 10, 'text-anchor': 'end' }, formatCount(max)));
  svg.append(el('text', { x: left - 6, y: top + plotH, 'text-anchor': 'end' }, '0'));
  const n = perSubtask.length;
  const slot = plotW / n;
  const gap = n <= 64 ? Math.min(4, slot * 0.2) : 0;
  const labelEvery = Math.ceil(n / 24);
  perSubtask.forEach((load, i) => {
    const h = (load / max) * plotH;
    const bar = el('rect', {
      class: hot.has(i) ? 'bar hot' : 'bar',
      x: left + i * slot + gap / 2,
      y: top + plotH - h,
      width: Math.max(slot - gap, 0.5),
      height: h,
      'data-subtask': i,
      'data-load': load,
    });
    bar.append(el('title', {}, `subtask ${i}: ${formatCount(load)}`));
    svg.append(bar);
    if (i % labelEvery === 0) svg.append(el('text', { x: left + (i + 0.5) * slot, y: H - 6, 'text-anchor': 'middle' }, String(i)));
  });
  const y = top + plotH - (mean / max) * plotH;
  svg.append(el('line', { class: 'mean', x1: left, y1: y, x2: W - 8, y2: y }));
  svg.append(el('text', { x: left - 6, y: y + 4, 'text-anchor': 'end' }, 'mean'));
  figure.replaceChildren(svg, figCaption(caption));
}

/**
 * The key-group → subtask strip: key groups 0…M−1 left to right, one segment per subtask.
 * @param {HTMLElement} figure
 * @param {{ subtask: number, firstKeyGroup: number, lastKeyGroup: number, keyGroups: number }[]} subtasks from /layout
 * @param {number} maxParallelism
 * @param {number} maxKeyGroups
 * @param {boolean} even
 * @param {string} caption
 */
export function drawOwnershipStrip(figure, subtasks, maxParallelism, maxKeyGroups, even, caption) {
  const W = 800;
  const H = 64;
  const svg = el('svg', { viewBox: `0 0 ${W} ${H}`, role: 'img', 'aria-label': caption, id: 'strip-svg' });
  const unit = W / maxParallelism;
  for (const s of subtasks) {
    // Neighbours alternate in shade so their boundary shows; owners of ⌈M/P⌉ groups stand out.
    const cls = `own${!even && s.keyGroups === maxKeyGroups ? ' max' : ''}${s.subtask % 2 === 1 ? ' alt' : ''}`;
    const r = el('rect', { class: cls, x: s.firstKeyGroup * unit, y: 4, width: Math.max(s.keyGroups * unit, 0.5), height: 36, 'data-subtask': s.subtask, 'data-key-groups': s.keyGroups });
    r.append(el('title', {}, `subtask ${s.subtask}: key groups ${s.firstKeyGroup}–${s.lastKeyGroup} (${s.keyGroups})`));
    svg.append(r);
    if (subtasks.length <= 32) svg.append(el('text', { class: 'on-strip', x: (s.firstKeyGroup + s.keyGroups / 2) * unit, y: 27, 'text-anchor': 'middle' }, String(s.subtask)));
  }
  svg.append(el('text', { x: 0, y: 56 }, '0'));
  svg.append(el('text', { x: W, y: 56, 'text-anchor': 'end' }, String(maxParallelism - 1)));
  svg.append(el('text', { x: W / 2, y: 56, 'text-anchor': 'middle' }, 'key group'));
  figure.replaceChildren(svg, figCaption(caption));
}

/** @param {string} text */
function figCaption(text) {
  const c = document.createElement('figcaption');
  c.textContent = text;
  return c;
}

/** @param {number} n */
export function formatCount(n) {
  return Number.isInteger(n) ? n.toLocaleString('en-US') : n.toLocaleString('en-US', { maximumFractionDigits: 2 });
}
