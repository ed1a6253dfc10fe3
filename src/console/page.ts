/** The frame every console page shares: head (stylesheet, no inline code), navigation, footer. */
import type { ConsoleAssets } from './assets.ts';
import { html, type SafeHtml } from './html.ts';

export interface PageOptions {
  title: string;
  active: 'status' | 'keys';
  assets: ConsoleAssets;
  version: string;
  body: SafeHtml;
  /** Browser modules (names of files in client/) the page loads. */
  modules?: string[];
}

export function renderPage(o: PageOptions): string {
  const nav = (key: PageOptions['active'], path: string, label: string) =>
    html`<a href="${path}"${key === o.active ? html` aria-current="page"` : ''}>${label}</a>`;
  return html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="color-scheme" content="light dark">
<title>${o.title} · Flink Lens</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="${o.assets.url('console.css')}">
${(o.modules ?? []).map((m) => html`<script type="module" src="${o.assets.url(m)}"></script>`)}
</head>
<body>
<a class="skip" href="#main">Skip to content</a>
<header class="top">
<span class="brand">Flink Lens</span>
<nav aria-label="Console">${nav('status', './', 'Status')} ${nav('keys', 'keys', 'Key groups')}
<a href="api/docs/">API docs</a> <a href="metrics">/metrics</a></nav>
</header>
<main id="main">
${o.body}
</main>
<footer>Flink Lens ${o.version} · <a href="-/healthy">/-/healthy</a> · <a href="-/ready">/-/ready</a> · <a href="api/v1/openapi.json">OpenAPI JSON</a></footer>
</body>
</html>
`.value;
}
