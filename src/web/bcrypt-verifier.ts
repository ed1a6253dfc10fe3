/**
 * bcrypt password checks on a worker thread. bcrypt costs 70–150 ms of CPU per check at cost 10
 * (by design), and bcryptjs runs it in JavaScript: on the event loop, 40 clients sending wrong
 * passwords pushed an authorised scrape from 95 ms to 3.8 s. On one worker thread the event loop
 * only passes messages, and at most `maxPending` checks wait, so a flood cannot queue unbounded
 * work or memory.
 */
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';

export interface PasswordVerifier {
  /** Whether `password` matches the bcrypt `hash`; rejects with VerifierBusyError when saturated. */
  verify(password: string, hash: string): Promise<boolean>;
  close(): Promise<void>;
}

export class VerifierBusyError extends Error {
  constructor() {
    super('too many password checks in progress');
    this.name = 'VerifierBusyError';
  }
}

// The worker is plain CommonJS evaluated from a string, so it runs the same under node, tsx and
// vitest (a .ts worker file would need the TypeScript loader in the worker too).
const workerSource = (bcryptjsPath: string): string => `
const { parentPort } = require('node:worker_threads');
const bcrypt = require(${JSON.stringify(bcryptjsPath)});
parentPort.on('message', ({ id, password, hash }) => {
  let ok = false;
  try { ok = bcrypt.compareSync(password, hash); } catch { ok = false; }
  parentPort.postMessage({ id, ok });
});
`;

interface Pending {
  resolve: (ok: boolean) => void;
  reject: (err: Error) => void;
}

export class BcryptWorkerVerifier implements PasswordVerifier {
  private worker: Worker | undefined;
  private readonly pending = new Map<number, Pending>();
  private nextId = 0;

  constructor(private readonly maxPending = 16) {}

  verify(password: string, hash: string): Promise<boolean> {
    if (this.pending.size >= this.maxPending) return Promise.reject(new VerifierBusyError());
    const worker = (this.worker ??= this.start());
    const id = this.nextId++;
    return new Promise<boolean>((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      worker.postMessage({ id, password, hash });
    });
  }

  async close(): Promise<void> {
    const worker = this.worker;
    this.worker = undefined;
    this.failAll(new Error('password verifier closed'));
    await worker?.terminate();
  }

  private start(): Worker {
    const worker = new Worker(workerSource(createRequire(import.meta.url).resolve('bcryptjs')), { eval: true });
    // Idle, it must not keep the process alive; the server's sockets do that.
    worker.unref();
    worker.on('message', ({ id, ok }: { id: number; ok: boolean }) => {
      const p = this.pending.get(id);
      this.pending.delete(id);
      p?.resolve(ok);
    });
    const lost = (err: Error): void => {
      if (this.worker === worker) this.worker = undefined;
      this.failAll(err);
    };
    worker.on('error', lost);
    worker.on('exit', (code) => lost(new Error(`password verifier thread exited with code ${code}`)));
    return worker;
  }

  private failAll(err: Error): void {
    for (const p of this.pending.values()) p.reject(err);
    this.pending.clear();
  }
}
