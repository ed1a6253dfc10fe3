// @ts-check
/**
 * The key-group explorer: turns the form into requests to /api/v1/keygroups/analyze and /layout
 * and shows the answers. All key-group arithmetic stays in the API; this file only reads text,
 * counts duplicate lines into weights, and draws.
 */
import { drawLoadChart, drawOwnershipStrip, formatCount } from './charts.js';

/**
 * @typedef {{ key: unknown, weight: number, share: number, keyGroup: number, subtask: number }} HotKey
 * @typedef {{ parallelism: number, keyGroupsPerSubtask: number, skewScore: number, maxMeanRatio: number | null }} ParallelismOption
 * @typedef {{ parallelism: number, maxParallelism: number, distinctKeys: number, totalWeight: number, perSubtask: number[],
 *   skewScore: number, maxMeanRatio: number | null, hottestKeys: HotKey[],
 *   hottestSubtasks: { subtask: number, load: number, share: number, keys: number, ratioToMean: number | null }[],
 *   advice: { parallelismOptions: ParallelismOption[], messages: string[] } }} Analysis
 * @typedef {{ subtasks: { subtask: number, firstKeyGroup: number, lastKeyGroup: number, keyGroups: number }[],
 *   minKeyGroups: number, maxKeyGroups: number, layoutSkewRatio: number, even: boolean, maxParallelism: number, parallelism: number }} Layout
 */

/** @template {HTMLElement} T @param {string} id @returns {T} */
function $(id) {
  const e = document.getElementById(id);
  if (!e) throw new Error(`missing #${id}`);
  return /** @type {T} */ (e);
}

const API = 'api/v1/keygroups';

/**
 * Lines → { key text: weight }. CSV lines are `key,count` split at the last comma (a tuple key's
 * JSON array may contain commas); a first line `key,count` is a header.
 * @param {string} text
 * @param {'auto' | 'lines' | 'csv'} format
 * @returns {Record<string, number>}
 */
export function parseKeys(text, format) {
  const lines = text.split(/\r?\n/).filter((l) => l.trim() !== '');
  const csvLine = /^(.*),\s*(\d+(?:\.\d+)?(?:[eE][+-]?\d+)?)\s*$/;
  const body = lines.length > 0 && /^\s*"?key"?\s*,\s*"?(count|weight)"?\s*$/i.test(lines[0] ?? '') ? lines.slice(1) : lines;
  const csv = format === 'csv' || (format === 'auto' && body.length > 0 && body.every((l) => csvLine.test(l)));
  /** @type {Record<string, number>} */
  const weights = Object.create(null);
  if (!csv) {
    for (const l of lines) weights[l] = (weights[l] ?? 0) + 1;
    return weights;
  }
  body.forEach((l, i) => {
    const m = csvLine.exec(l);
    if (!m) throw new Error(`line ${i + 1 + (body === lines ? 0 : 1)}: expected key,count — got ${JSON.stringify(l.slice(0, 80))}`);
    const key = unquote(m[1] ?? '');
    weights[key] = (weights[key] ?? 0) + Number(m[2]);
  });
  return weights;
}

/** @param {string} s */
function unquote(s) {
  return /^".*"$/.test(s) ? s.slice(1, -1).replace(/""/g, '"') : s;
}

/**
 * @param {string} url
 * @param {unknown} [body]
 */
async function call(url, body) {
  const res = await fetch(url, body === undefined ? {} : { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  const json = await res.json();
  if (!res.ok) throw new Error(typeof json?.message === 'string' ? json.message : `HTTP ${res.status}`);
  return json;
}

/** @param {string} id @param {number | null} value @param {string} text */
function show(id, value, text) {
  const o = $(id);
  o.textContent = text;
  o.dataset.value = value === null ? 'null' : String(value);
}

/** @param {number} r */
const pct = (r) => `${(r * 100).toFixed(1)} %`;
/** @param {number | null} r */
const times = (r) => (r === null ? '–' : `${r.toFixed(2)}×`);

/** @param {unknown} key */
const keyText = (key) => (typeof key === 'string' ? key : JSON.stringify(key));

/** @param {HTMLTableElement} table @param {(string | HTMLElement)[][]} rows */
function fillTable(table, rows) {
  const tbody = table.tBodies[0];
  if (!tbody) return;
  tbody.replaceChildren(
    ...rows.map((cells) => {
      const tr = document.createElement('tr');
      for (const c of cells) {
        const td = document.createElement('td');
        td.append(c);
        tr.append(td);
      }
      return tr;
    }),
  );
}

/** @param {Analysis} a @param {Layout} layout */
function render(a, layout) {
  show('out-skew', a.skewScore, pct(a.skewScore));
  show('out-maxmean', a.maxMeanRatio, times(a.maxMeanRatio));
  show('out-distinct', a.distinctKeys, formatCount(a.distinctKeys));
  show('out-total', a.totalWeight, formatCount(a.totalWeight));
  show('out-maxp', a.maxParallelism, String(a.maxParallelism));

  const mean = a.totalWeight / a.parallelism;
  const hot = new Set(a.hottestSubtasks.filter((s) => (s.ratioToMean ?? 0) > 1.1).map((s) => s.subtask));
  drawLoadChart($('chart-load'), a.perSubtask, mean, hot, `Predicted records per subtask at parallelism ${a.parallelism} (maxParallelism ${a.maxParallelism}); dashed line: the mean, ${formatCount(mean)}.`);

  const owners = layout.subtasks.filter((s) => s.keyGroups === layout.maxKeyGroups).length;
  const stripCaption = layout.even
    ? `Every subtask owns ${layout.maxKeyGroups} key groups: the layout is even.`
    : `${owners} of ${layout.parallelism} subtasks (highlighted) own ⌈M/P⌉ = ${layout.maxKeyGroups} key groups, the others ${layout.minKeyGroups}: evenly spread keys give them ${pct(layout.layoutSkewRatio - 1)} more records.`;
  drawOwnershipStrip($('chart-strip'), layout.subtasks, layout.maxParallelism, layout.maxKeyGroups, layout.even, stripCaption);

  fillTable($('hot-keys'), a.hottestKeys.map((k) => [keyText(k.key), formatCount(k.weight), pct(k.share), String(k.keyGroup), String(k.subtask)]));
  $('advice-messages').replaceChildren(
    ...a.advice.messages.map((m) => {
      const li = document.createElement('li');
      li.textContent = m;
      return li;
    }),
  );
  const options = [{ parallelism: a.parallelism, keyGroupsPerSubtask: NaN, skewScore: a.skewScore, maxMeanRatio: a.maxMeanRatio }, ...a.advice.parallelismOptions];
  fillTable(
    $('parallelism-options'),
    options.map((o, i) => {
      const cells = [String(o.parallelism) + (i === 0 ? ' (current)' : ''), Number.isNaN(o.keyGroupsPerSubtask) ? '' : String(o.keyGroupsPerSubtask), pct(o.skewScore), times(o.maxMeanRatio)];
      if (i === 0) return [...cells, ''];
      const b = document.createElement('button');
      b.type = 'button';
      b.textContent = `Try ${o.parallelism}`;
      b.addEventListener('click', () => {
        /** @type {HTMLInputElement} */ ($('parallelism')).value = String(o.parallelism);
        void analyze();
      });
      return [...cells, b];
    }),
  );
  const select = /** @type {HTMLSelectElement} */ ($('balanced-parallelism'));
  select.replaceChildren(
    ...options.map((o) => {
      const opt = document.createElement('option');
      opt.value = String(o.parallelism);
      opt.textContent = String(o.parallelism);
      return opt;
    }),
  );
  select.dataset.maxParallelism = String(a.maxParallelism);
  updateBalancedLinks();
  $('keys-results').hidden = false;
}

function updateBalancedLinks() {
  const select = /** @type {HTMLSelectElement} */ ($('balanced-parallelism'));
  const type = /** @type {HTMLSelectElement} */ ($('balanced-type')).value;
  const q = new URLSearchParams({
    parallelism: select.value,
    maxParallelism: select.dataset.maxParallelism ?? '',
    keyType: type,
    perSubtask: /** @type {HTMLInputElement} */ ($('balanced-per')).value || '1',
  });
  if (type === 'string') q.set('prefix', /** @type {HTMLInputElement} */ ($('balanced-prefix')).value);
  /** @type {HTMLAnchorElement} */ ($('balanced-json')).href = `${API}/balanced?${q}`;
  /** @type {HTMLAnchorElement} */ ($('balanced-csv')).href = `keys/balanced.csv?${q}`;
}

/** @param {string} message */
function fail(message) {
  const e = $('keys-error');
  e.textContent = message;
  e.hidden = false;
}

async function analyze() {
  $('keys-error').hidden = true;
  const keyType = /** @type {HTMLSelectElement} */ ($('key-type')).value;
  const parallelism = Number(/** @type {HTMLInputElement} */ ($('parallelism')).value);
  const maxText = /** @type {HTMLInputElement} */ ($('max-parallelism')).value.trim();
  const fieldTypes = /** @type {HTMLInputElement} */ ($('field-types')).value.split(',').map((s) => s.trim()).filter((s) => s !== '');
  let weights;
  try {
    weights = parseKeys(/** @type {HTMLTextAreaElement} */ ($('keys-text')).value, /** @type {'auto' | 'lines' | 'csv'} */ (/** @type {HTMLSelectElement} */ ($('keys-format')).value));
  } catch (err) {
    fail(err instanceof Error ? err.message : String(err));
    return;
  }
  if (Object.keys(weights).length === 0) {
    fail('Enter or upload some keys first.');
    return;
  }
  /** @type {Record<string, unknown>} */
  const body = { keyType, weights, parallelism };
  if (maxText !== '') body.maxParallelism = Number(maxText);
  if (keyType === 'tuple' || keyType === 'sql') body.fieldTypes = fieldTypes;
  try {
    /** @type {Analysis} */
    const a = await call(`${API}/analyze`, body);
    /** @type {Layout} */
    const layout = await call(`${API}/layout?${new URLSearchParams({ parallelism: String(a.parallelism), maxParallelism: String(a.maxParallelism) })}`);
    render(a, layout);
    document.body.dataset.analyzed = 'true';
  } catch (err) {
    fail(err instanceof Error ? err.message : String(err));
  }
}

/** A Zipf-like sample (weight of rank r ∝ 1/r^1.1), as CSV, for trying the explorer out. */
function zipfSample() {
  const lines = ['key,count'];
  for (let r = 1; r <= 400; r++) lines.push(`user-${r},${Math.max(1, Math.round(50000 / r ** 1.1))}`);
  return lines.join('\n');
}

function syncFieldTypes() {
  const t = /** @type {HTMLSelectElement} */ ($('key-type')).value;
  $('field-types-label').hidden = t !== 'tuple' && t !== 'sql';
}

function init() {
  $('keys-form').addEventListener('submit', (e) => {
    e.preventDefault();
    void analyze();
  });
  $('zipf-sample').addEventListener('click', () => {
    /** @type {HTMLTextAreaElement} */ ($('keys-text')).value = zipfSample();
    /** @type {HTMLSelectElement} */ ($('key-type')).value = 'string';
    syncFieldTypes();
  });
  $('keys-file').addEventListener('change', async (e) => {
    const file = /** @type {HTMLInputElement} */ (e.target).files?.[0];
    if (file) /** @type {HTMLTextAreaElement} */ ($('keys-text')).value = await file.text();
  });
  $('key-type').addEventListener('change', syncFieldTypes);
  for (const id of ['balanced-parallelism', 'balanced-type', 'balanced-per', 'balanced-prefix']) $(id).addEventListener('input', updateBalancedLinks);
  syncFieldTypes();
  document.body.dataset.ready = 'true';
}

init();
