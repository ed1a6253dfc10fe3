// Docker HEALTHCHECK for the Flink Lens image: exits 0 when GET /-/healthy answers 2xx in time.
// Plain http uses node's built-in fetch (no curl in slim images). For https (the exporter behind
// --web.config.file TLS) it uses node:https without verifying the certificate: this only checks
// our own process over loopback, and the certificate rarely names 127.0.0.1.
// /-/healthy stays open when web-config basic auth is on, so no credentials are needed.
import { get } from 'node:https';

const url = new URL(process.env.FLINK_LENS_HEALTHCHECK_URL || 'http://127.0.0.1:9551/-/healthy');
const timeoutMs = Number(process.env.FLINK_LENS_HEALTHCHECK_TIMEOUT_MS) || 4000;

function done(status, reason) {
  const ok = status >= 200 && status < 300;
  if (!ok) process.stderr.write(`healthcheck: ${url.href}: ${reason ?? `HTTP ${status}`}\n`);
  process.exit(ok ? 0 : 1);
}

if (url.protocol === 'https:') {
  const req = get(url, { rejectUnauthorized: false, timeout: timeoutMs }, (res) => {
    res.resume();
    done(res.statusCode ?? 0);
  });
  req.on('timeout', () => req.destroy(new Error(`no answer within ${timeoutMs} ms`)));
  req.on('error', (err) => done(0, err.message));
} else {
  fetch(url, { signal: AbortSignal.timeout(timeoutMs) }).then(
    (res) => done(res.status),
    (err) => done(0, err.cause?.code ?? err.message),
  );
}
