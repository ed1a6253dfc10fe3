import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable, Writable } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runKeysCommand } from '../../src/cli/keys.ts';
import { buildApp, PREFIX } from '../api/helpers.ts';
import { keyGroupRef, operatorIndexRef, stringHashRef } from '../keygroups/reference-impl.ts';

function collector(): { stream: Writable; text: () => string } {
  const chunks: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer | string, _encoding, callback) {
      chunks.push(chunk.toString());
      callback();
    },
  });
  return { stream, text: () => chunks.join('') };
}

async function run(argv: string[], input?: string, { tty = false } = {}) {
  const stdin = Readable.from(input === undefined ? [] : [input]);
  if (tty) Object.assign(stdin, { isTTY: true });
  const stdout = collector();
  const stderr = collector();
  const code = await runKeysCommand(argv, { stdin, stdout: stdout.stream, stderr: stderr.stream });
  return { code, stdout: stdout.text(), stderr: stderr.text() };
}

let app: FastifyInstance;
let dir: string;
beforeAll(async () => {
  app = await buildApp();
  dir = mkdtempSync(join(tmpdir(), 'flink-lens-keys-'));
});
afterAll(async () => {
  await app.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('keys --json prints exactly the API response', () => {
  it('assign (keys as arguments)', async () => {
    const cli = await run(['assign', '--key-type', 'string', '-p', '4', '--json', 'user-1', 'hello', '😀']);
    const api = await app.inject({ method: 'POST', url: `${PREFIX}/assign`, payload: { keyType: 'string', keys: ['user-1', 'hello', '😀'], parallelism: 4 } });
    expect(cli.code).toBe(0);
    expect(cli.stdout).toBe(`${api.body}\n`);
  });

  it('analyze (keys on stdin, sql rows as JSON arrays)', async () => {
    const lines = '[1,"eu"]\n[1,"eu"]\n[2,null]\n[1234567890123,"us-east"]\n';
    const cli = await run(['analyze', '-t', 'sql', '-f', 'BIGINT,VARCHAR', '-p', '3', '-m', '256', '--json'], lines);
    const keys = [[1, 'eu'], [1, 'eu'], [2, null], [1234567890123, 'us-east']];
    const api = await app.inject({ method: 'POST', url: `${PREFIX}/analyze`, payload: { keyType: 'sql', fieldTypes: ['BIGINT', 'VARCHAR'], keys, parallelism: 3, maxParallelism: 256 } });
    expect(cli.stdout).toBe(`${api.body}\n`);
  });

  it('balanced and layout', async () => {
    const balanced = await run(['balanced', '-p', '5', '-t', 'string', '--prefix', 'k-', '-k', '2', '--json']);
    const apiBalanced = await app.inject({ method: 'GET', url: `${PREFIX}/balanced?parallelism=5&keyType=string&prefix=k-&perSubtask=2` });
    expect(balanced.stdout).toBe(`${apiBalanced.body}\n`);
    const layout = await run(['layout', '-p', '5', '-m', '100', '--json']);
    const apiLayout = await app.inject({ method: 'GET', url: `${PREFIX}/layout?parallelism=5&maxParallelism=100` });
    expect(layout.stdout).toBe(`${apiLayout.body}\n`);
  });
});

describe('key sources', () => {
  const subtaskOf = (key: string) => operatorIndexRef(128, 4, keyGroupRef(stringHashRef(key), 128));

  it('--file, one key per line (CRLF and blank lines tolerated)', async () => {
    const file = join(dir, 'keys.txt');
    writeFileSync(file, 'alpha\r\nbeta\n\ngamma\n');
    const r = await run(['assign', '-t', 'string', '-p', '4', '--file', file, '--json']);
    const body = JSON.parse(r.stdout) as { assignments: { key: string; subtask: number }[] };
    expect(body.assignments.map((a) => [a.key, a.subtask])).toEqual(['alpha', 'beta', 'gamma'].map((k) => [k, subtaskOf(k)]));
  });

  it('"-" reads stdin, after the argument keys', async () => {
    const r = await run(['assign', '-t', 'string', '-p', '4', '--json', 'first', '-'], 'second\nthird\n');
    expect((JSON.parse(r.stdout) as { assignments: { key: string }[] }).assignments.map((a) => a.key)).toEqual(['first', 'second', 'third']);
  });

  it('negative int keys after "--"', async () => {
    const r = await run(['assign', '-t', 'int', '-p', '8', '--json', '--', '-1', '42']);
    // reference §3.3: -1 → subtask 5 and 42 → subtask 1 at maxP 128, p 8
    expect((JSON.parse(r.stdout) as { assignments: { subtask: number }[] }).assignments.map((a) => a.subtask)).toEqual([5, 1]);
  });

  it('--counts reads "sort | uniq -c" output as weights', async () => {
    const r = await run(['analyze', '-t', 'string', '-p', '4', '--counts', '--json'], '     90 hot key\n      5 cold\n      5 colder\n');
    const body = JSON.parse(r.stdout) as { totalWeight: number; hottestKeys: { key: string; weight: number }[] };
    expect(body.totalWeight).toBe(100);
    expect(body.hottestKeys[0]).toMatchObject({ key: 'hot key', weight: 90 });
  });
});

describe('human-readable output', () => {
  it('analyze shows a load bar chart, the hottest keys and advice', async () => {
    const sample = `${'hot\n'.repeat(60)}${Array.from({ length: 40 }, (_, i) => `k${i}\n`).join('')}`;
    const r = await run(['analyze', '-t', 'string', '-p', '4'], sample);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Load per subtask');
    expect(r.stdout).toMatch(/│█{40}│/); // the busiest subtask gets the full-width bar
    expect(r.stdout).toMatch(/Hottest keys\nkey\s+weight/);
    expect(r.stdout).toMatch(/Key "hot" carries 60%.*Salt it into/);
  });

  it('layout shows ranges and a key-group bar chart', async () => {
    const r = await run(['layout', '-p', '3']);
    expect(r.stdout).toContain('Key groups per subtask');
    expect(r.stdout).toMatch(/2\s+86–127\s+42/);
    expect(r.stdout).toContain('parallelism 2 or 4');
  });

  it('assign prints a table with hashCode, key group and subtask', async () => {
    const r = await run(['assign', '-t', 'string', '-p', '4', 'user-1']);
    expect(r.stdout).toMatch(/user-1\s+-836031825\s+121\s+3/); // reference §3.3
  });
});

describe('errors and help', () => {
  it('an invalid key names the key index and the input line; exit 2', async () => {
    const r = await run(['assign', '-t', 'int', '-p', '4'], '1\n2\n\nnot-a-number\n');
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/keys\[2\] must be a JSON integer .*\(input line 4\)/);
    expect(r.stdout).toBe('');
  });

  it('usage mistakes exit 2 with a message', async () => {
    expect((await run(['assign', '-t', 'int', 'x'])).stderr).toMatch(/--parallelism \(-p\) is required/);
    expect((await run(['assign', '-p', '4', 'x'])).stderr).toMatch(/--key-type is required/);
    expect((await run(['layout', '-p', '4', '--prefix', 'x'])).stderr).toMatch(/--prefix does not apply/);
    expect((await run(['layout', '-p', '40000'])).stderr).toMatch(/parallelism must be an integer from 1 to 32768/);
    expect((await run(['assign', '-t', 'int', '-p', '4', '--bogus'])).code).toBe(2);
    expect((await run(['shuffle'])).code).toBe(2);
    expect((await run(['assign', '-t', 'int', '-p', '4'], undefined, { tty: true })).stderr).toMatch(/no keys given/);
  });

  it('assign and analyze with no keys at all exit 2 with one line saying so', async () => {
    const empty = join(dir, 'empty.txt');
    writeFileSync(empty, '\n\n');
    for (const r of [
      await run(['assign', '-t', 'int', '-p', '4'], ''),
      await run(['assign', '-t', 'int', '-p', '4', '--file', empty]),
      await run(['analyze', '-t', 'string', '-p', '4'], '\n'),
    ]) {
      expect(r.code).toBe(2);
      expect(r.stdout).toBe('');
      expect(r.stderr).toMatch(/^flink-lens keys (assign|analyze): no keys given: pass them as arguments, with --file, or on stdin \(the input held none\)\n$/);
    }
  });

  it('a missing file exits 1', async () => {
    const r = await run(['assign', '-t', 'int', '-p', '4', '--file', join(dir, 'missing.txt')]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/ENOENT/);
  });

  it('--help prints usage and exits 0', async () => {
    const r = await run(['assign', '--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Usage: flink-lens keys <command>');
  });
});
