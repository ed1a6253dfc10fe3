/**
 * `/`: every configured and recently probed target with its last scrape, and its jobs. Rendered
 * from the StatusStore only; the one way to cause a scrape from here is the rate-limited
 * "Scrape now" button (POST console/scrape).
 */
import { ago, isoTime, percent, seconds } from './format.ts';
import { href, html, type SafeHtml } from './html.ts';
import type { JobStatus, TargetStatus } from './status-summary.ts';

export interface StatusView {
  now: number;
  /** Configured targets in config order. */
  configured: readonly { name: string; url: string }[];
  /** Every recorded scrape, most recent first (configured and ad-hoc probe targets). */
  recorded: readonly TargetStatus[];
  reload: { ok: boolean; lastSuccessMs?: number };
  grafanaUrl?: string;
  minScrapeIntervalMs: number;
}

type Row = { name: string; url?: string; configured: boolean; status?: TargetStatus };

export function renderStatus(v: StatusView): SafeHtml {
  const byName = new Map(v.recorded.map((s) => [s.target, s]));
  const rows: Row[] = v.configured.map((t) => ({ name: t.name, url: t.url, configured: true, status: byName.get(t.name) }) as Row);
  const configuredNames = new Set(v.configured.map((t) => t.name));
  for (const s of v.recorded) if (!configuredNames.has(s.target)) rows.push({ name: s.target, configured: false, status: s });

  const up = rows.filter((r) => r.status?.up === true).length;
  const down = rows.filter((r) => r.status?.up === false).length;
  const never = rows.length - up - down;
  return html`<h1>Status</h1>
<section class="summary" aria-label="Summary">
<p><strong>${rows.length}</strong> target${rows.length === 1 ? '' : 's'}:
<span class="badge up">${up} up</span> <span class="badge down">${down} down</span> <span class="badge never">${never} not scraped yet</span></p>
<p>Data comes from the exporter's own last scrape of each target (by Prometheus on /metrics or /probe);
opening this page does not contact any JobManager. "Scrape now" scrapes a target at most once per ${Math.round(v.minScrapeIntervalMs / 1000)} s. ${reloadLine(v)}</p>
${configuredNames.size > 0 ? scrapeForm(undefined, `Scrape all configured targets now`) : ''}
${v.grafanaUrl ? html`<p><a href="${href(`${v.grafanaUrl}/d/flink-lens-fleet`)}">Grafana: fleet dashboard</a></p>` : ''}
</section>
${rows.length === 0 ? html`<p class="empty">No targets configured and none probed yet. Start with <code>--target NAME=URL</code> or a config file.</p>` : ''}
${rows.map((r) => targetSection(r, v))}`;
}

function reloadLine(v: StatusView): SafeHtml {
  const when = v.reload.lastSuccessMs !== undefined ? html` (last loaded <time datetime="${isoTime(v.reload.lastSuccessMs)}">${ago(v.now - v.reload.lastSuccessMs)} ago</time>)` : '';
  return v.reload.ok
    ? html`<span class="reload ok">Configuration: loaded${when}.</span>`
    : html`<span class="reload failed">Configuration: the last reload FAILED; the previous configuration is still running${when}. See the log.</span>`;
}

function scrapeForm(target: string | undefined, label: string): SafeHtml {
  return html`<form class="scrape" method="post" action="console/scrape">
${target !== undefined ? html`<input type="hidden" name="target" value="${target}">` : ''}<button type="submit">${label}</button>
</form>`;
}

function targetSection(r: Row, v: StatusView): SafeHtml {
  const s = r.status;
  const state = s === undefined ? 'never' : s.up ? 'up' : 'down';
  const label = s === undefined ? 'not scraped yet' : s.up ? 'up' : 'down';
  const id = `target-${r.name.replace(/[^A-Za-z0-9_-]/g, '_')}`;
  return html`<section class="target ${state}" id="${id}" data-target="${r.name}" aria-labelledby="${id}-h">
<h2 id="${id}-h">${r.name} <span class="badge ${state}" data-state="${state}">${label}</span></h2>
<p class="links">${r.url !== undefined ? html`<span class="url">${r.url}</span> · ` : html`<span class="url">probed ad hoc (not configured)</span> · `}
<a href="${href('probe', { target: r.name })}">/probe?target=…</a>
${v.grafanaUrl ? html` · <a href="${href(`${v.grafanaUrl}/d/flink-lens-fleet`, { 'var-target': r.name })}">Grafana</a>` : ''}</p>
${s === undefined ? html`<p>Not scraped yet: no scrape of this target since the exporter started. Prometheus' next scrape fills this in, or:</p>` : scrapeFacts(s, v)}
${scrapeForm(r.name, `Scrape ${r.name} now`)}
${s !== undefined && s.errors.length > 0 ? errorsTable(s) : ''}
${s !== undefined ? jobsTable(s, r.name, v) : ''}
</section>`;
}

function scrapeFacts(s: TargetStatus, v: StatusView): SafeHtml {
  const budget = s.budgetMs !== undefined ? s.budgetMs / 1000 : undefined;
  return html`<dl class="facts">
<div><dt>Last scrape</dt><dd><time datetime="${isoTime(s.scrapedAtMs)}" data-ms="${s.scrapedAtMs}">${ago(v.now - s.scrapedAtMs)} ago</time></dd></div>
<div><dt>Duration</dt><dd>${seconds(s.durationSeconds)}${budget !== undefined
    ? html` of ${seconds(budget)} deadline <meter min="0" max="${budget}" low="${budget * 0.5}" high="${budget * 0.8}" optimum="0" value="${Math.min(s.durationSeconds, budget)}">${percent(s.durationSeconds / budget)}</meter>`
    : ''}</dd></div>
<div><dt>REST calls</dt><dd>${s.requests}</dd></div>
<div><dt>Series</dt><dd>${s.series}</dd></div>
<div><dt>Flink</dt><dd>${s.flinkVersion ?? 'unknown'}</dd></div>
${s.taskmanagers !== undefined ? html`<div><dt>TaskManagers</dt><dd>${s.taskmanagers}${s.slotsTotal !== undefined ? html`, ${s.slotsAvailable ?? '?'} of ${s.slotsTotal} slots free` : ''}</dd></div>` : ''}
</dl>`;
}

function errorsTable(s: TargetStatus): SafeHtml {
  return html`<div class="scroll"><table class="errors">
<caption>Errors in the last scrape, by endpoint kind</caption>
<thead><tr><th scope="col">Endpoint</th><th scope="col">Failed calls</th><th scope="col">Last error</th></tr></thead>
<tbody>${s.errors.map(
    (e) => html`<tr><td data-label="Endpoint">${e.endpoint}</td><td class="num" data-label="Failed calls">${e.count}</td><td data-label="Last error">${e.lastMessage ?? (e.endpoint === 'deadline' ? 'the scrape deadline ran out' : '')}</td></tr>`,
  )}</tbody></table></div>`;
}

function jobsTable(s: TargetStatus, target: string, v: StatusView): SafeHtml {
  if (s.jobs.length === 0) return html`<p class="empty">No jobs in the last scrape.</p>`;
  return html`<div class="scroll"><table class="jobs">
<caption>Jobs (${s.jobs.length}${s.jobsOmitted > 0 ? html`, ${s.jobsOmitted} more not shown` : ''})</caption>
<thead><tr><th scope="col">Job</th><th scope="col">State</th><th scope="col">Restarts</th><th scope="col">Last checkpoint</th><th scope="col">Most skewed vertex</th><th scope="col">Most back-pressured vertex</th></tr></thead>
<tbody>${s.jobs.map((j) => jobRow(j, target, v))}</tbody></table></div>`;
}

function jobRow(j: JobStatus, target: string, v: StatusView): SafeHtml {
  const checkpoint =
    j.lastCheckpointAtMs !== undefined
      ? html`<time datetime="${isoTime(j.lastCheckpointAtMs)}">${ago(v.now - j.lastCheckpointAtMs)} ago</time>`
      : j.checkpointing
        ? 'none completed yet'
        : 'not enabled';
  const skew = j.mostSkewed;
  const bp = j.mostBackpressured;
  return html`<tr>
<td data-label="Job"><span class="name">${j.name}</span><br><code class="id">${j.id}</code>${v.grafanaUrl
    ? html` <a href="${href(`${v.grafanaUrl}/d/flink-lens-job`, { 'var-target': target, 'var-job_name': j.name })}">Grafana</a>`
    : ''}</td>
<td data-label="State"><span class="state state-${j.state.toLowerCase()}">${j.state}</span></td>
<td class="num" data-label="Restarts">${j.restarts ?? '–'}</td>
<td data-label="Last checkpoint">${checkpoint}</td>
<td data-label="Most skewed vertex">${skew
    ? html`<span class="name">${skew.name}</span><br>skew ${percent(skew.skewScore)}${skew.maxMeanRatio !== null ? html`, max/mean ${skew.maxMeanRatio.toFixed(2)}` : ''}
${skew.keyed ? html`<a href="${href('keys', { parallelism: skew.parallelism, maxParallelism: skew.maxParallelism, target, job: j.name, vertex: skew.name })}">explore keys</a>` : ''}`
    : '–'}</td>
<td data-label="Most back-pressured vertex">${bp ? html`<span class="name">${bp.name}</span><br>${percent(bp.ratio)} back-pressured` : '–'}</td>
</tr>`;
}
