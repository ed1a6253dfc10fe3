/**
 * `/keys`: the key-group explorer's form, prefilled from the query (the status page links here
 * with a vertex's parallelism and maxParallelism). keys.js sends it to /api/v1/keygroups/* and
 * draws the answers; the page itself computes nothing.
 */
import { KEY_TYPES } from '../keygroups/key-types.ts';
import { html, type SafeHtml } from './html.ts';

export interface KeysPrefill {
  parallelism?: number;
  maxParallelism?: number;
  keyType?: string;
  target?: string;
  job?: string;
  vertex?: string;
}

/** Reads the prefill from a query string; anything malformed is simply not prefilled. */
export function keysPrefill(query: Record<string, unknown>): KeysPrefill {
  const int = (v: unknown) => (typeof v === 'string' && /^\d{1,5}$/.test(v) && Number(v) >= 1 && Number(v) <= 32768 ? Number(v) : undefined);
  const text = (v: unknown) => (typeof v === 'string' && v.length > 0 ? v.slice(0, 500) : undefined);
  const out: KeysPrefill = {};
  const p = int(query.parallelism);
  const m = int(query.maxParallelism);
  const keyType = text(query.keyType);
  if (p !== undefined) out.parallelism = p;
  if (m !== undefined) out.maxParallelism = m;
  if (keyType !== undefined && (KEY_TYPES as readonly string[]).includes(keyType)) out.keyType = keyType;
  for (const k of ['target', 'job', 'vertex'] as const) {
    const v = text(query[k]);
    if (v !== undefined) out[k] = v;
  }
  return out;
}

export function renderKeys(p: KeysPrefill): SafeHtml {
  const keyType = p.keyType ?? 'string';
  return html`<h1>Key-group explorer</h1>
<p>Which subtask gets each key, and how even the load is — computed by the
<a href="api/docs/">key-group API</a> with Flink's own algorithm (<code>/api/v1/keygroups/analyze</code> and <code>/layout</code>).</p>
${p.vertex !== undefined
    ? html`<p class="context" id="prefill-context">Prefilled from vertex <strong>${p.vertex}</strong>${p.job !== undefined ? html` of job <strong>${p.job}</strong>` : ''}${p.target !== undefined ? html` on target <strong>${p.target}</strong>` : ''}.</p>`
    : ''}
<form id="keys-form" class="keys-form" novalidate>
<fieldset>
<legend>Keys</legend>
<label for="keys-text">One key per line, or CSV <code>key,count</code></label>
<textarea id="keys-text" name="keys" rows="10" spellcheck="false" autocomplete="off" placeholder="user-1&#10;user-2&#10;user-1"></textarea>
<div class="row">
<label>Format <select id="keys-format" name="format">
<option value="auto" selected>detect</option><option value="lines">one key per line (duplicates add up)</option><option value="csv">CSV key,count</option>
</select></label>
<label>Upload file <input type="file" id="keys-file" accept=".txt,.csv,text/plain,text/csv"></label>
<button type="button" id="zipf-sample">Fill a Zipf sample</button>
</div>
</fieldset>
<fieldset>
<legend>Operator</legend>
<div class="row">
<label>Key type <select id="key-type" name="keyType">${KEY_TYPES.map((t) => html`<option value="${t}"${t === keyType ? html` selected` : ''}>${t}</option>`)}</select></label>
<label id="field-types-label">Field types <input id="field-types" name="fieldTypes" placeholder="string,int or BIGINT,VARCHAR" size="22"></label>
<label>Parallelism <input id="parallelism" name="parallelism" type="number" min="1" max="32768" required value="${p.parallelism ?? 4}"></label>
<label>maxParallelism <input id="max-parallelism" name="maxParallelism" type="number" min="1" max="32768" placeholder="Flink's default" value="${p.maxParallelism ?? ''}"></label>
</div>
</fieldset>
<button type="submit" class="primary">Analyze</button>
</form>
<p id="keys-error" class="error" role="alert" hidden></p>
<section id="keys-results" aria-live="polite" hidden>
<h2>Result</h2>
<dl class="facts">
<div><dt>Skew score</dt><dd><output id="out-skew"></output></dd></div>
<div><dt>Busiest / mean</dt><dd><output id="out-maxmean"></output></dd></div>
<div><dt>Distinct keys</dt><dd><output id="out-distinct"></output></dd></div>
<div><dt>Total weight</dt><dd><output id="out-total"></output></dd></div>
<div><dt>maxParallelism</dt><dd><output id="out-maxp"></output></dd></div>
</dl>
<h3>Records per subtask</h3>
<figure id="chart-load" class="chart"></figure>
<h3>Key-group ownership</h3>
<figure id="chart-strip" class="chart"></figure>
<h3>Hottest keys</h3>
<div class="scroll"><table id="hot-keys"><thead><tr><th scope="col">Key</th><th scope="col">Weight</th><th scope="col">Share</th><th scope="col">Key group</th><th scope="col">Subtask</th></tr></thead><tbody></tbody></table></div>
<h3>Advice</h3>
<ul id="advice-messages"></ul>
<div class="scroll"><table id="parallelism-options"><caption>Parallelism options (maxParallelism fixed)</caption>
<thead><tr><th scope="col">Parallelism</th><th scope="col">Key groups per subtask</th><th scope="col">Predicted skew</th><th scope="col">Busiest / mean</th><th scope="col"></th></tr></thead><tbody></tbody></table></div>
<h3>Balanced keys</h3>
<form id="balanced-form" class="row">
<label>Parallelism <select id="balanced-parallelism"></select></label>
<label>Keys per subtask <input id="balanced-per" type="number" min="1" value="1"></label>
<label>Type <select id="balanced-type"><option value="int">int</option><option value="string" selected>string</option></select></label>
<label>Prefix <input id="balanced-prefix" value="key-" maxlength="64" size="10"></label>
<a id="balanced-csv" class="button" download="balanced-keys.csv" href="#">Download CSV</a>
<a id="balanced-json" class="button" download="balanced-keys.json" href="#">Download JSON</a>
</form>
</section>`;
}
