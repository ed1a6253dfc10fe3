/**
 * A pass-through HTTP proxy in front of a real JobManager that keeps every answer (path, status,
 * body) the exporter received, so the recorder saves exactly the endpoints the exporter calls.
 */
import { createServer, type Server } from 'node:http';

export interface RecordedAnswer {
  readonly path: string;
  readonly status: number;
  readonly body: unknown;
  /** Flink's text, kept when parsing changed it (longs past 2^53 such as Long.MAX_VALUE, number spelling). */
  readonly raw?: string;
}

/** An answer as recorded: parsed JSON (text if not JSON), plus the raw text when JSON.parse was lossy. */
export function recordAnswer(path: string, status: number, text: string): RecordedAnswer {
  try {
    const body = JSON.parse(text) as unknown;
    return JSON.stringify(body) === text ? { path, status, body } : { path, status, body, raw: text };
  } catch {
    return { path, status, body: text };
  }
}

export interface RecordingProxy {
  readonly url: string;
  readonly answers: RecordedAnswer[];
  close(): Promise<void>;
}

export async function startRecordingProxy(upstream: string): Promise<RecordingProxy> {
  const answers: RecordedAnswer[] = [];
  const server: Server = createServer((req, res) => {
    const path = req.url ?? '/';
    void (async () => {
      try {
        const upstreamRes = await fetch(`${upstream}${path}`, { method: req.method ?? 'GET', signal: AbortSignal.timeout(30_000) });
        const text = await upstreamRes.text();
        answers.push(recordAnswer(path, upstreamRes.status, text));
        res.writeHead(upstreamRes.status, { 'content-type': upstreamRes.headers.get('content-type') ?? 'application/json' });
        res.end(text);
      } catch (err) {
        res.writeHead(502, { 'content-type': 'text/plain' });
        res.end(String(err));
      }
    })();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${String(port)}`,
    answers,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
