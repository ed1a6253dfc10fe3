/** The explorer's server side: prefill from the query, and balanced keys as CSV equal to the API's JSON. */
import { afterEach, describe, expect, it } from 'vitest';
import { toCsv } from '../../src/console/csv.ts';
import { keysPrefill } from '../../src/console/keys-page.ts';
import type { Service } from '../../src/service.ts';
import { fakeService } from './helpers.ts';

let service: Service | undefined;
afterEach(async () => {
  await service?.close();
  service = undefined;
});

describe('key-group explorer page', () => {
  it('prefills only well-formed values', () => {
    expect(keysPrefill({ parallelism: '12', maxParallelism: '128', keyType: 'long', vertex: 'v' })).toEqual({ parallelism: 12, maxParallelism: 128, keyType: 'long', vertex: 'v' });
    expect(keysPrefill({ parallelism: '0', maxParallelism: '40000', keyType: 'java.lang.Object', job: '' })).toEqual({});
    expect(keysPrefill({ parallelism: ['2', '3'], maxParallelism: '1e3' })).toEqual({});
  });

  it('offers balanced keys as CSV, row for row what /api/v1/keygroups/balanced answers', async () => {
    service = (await fakeService('{}')).service;
    const query = 'parallelism=6&maxParallelism=128&keyType=string&prefix=a%2C%22b&perSubtask=3';
    const api = (await service.app.inject(`/api/v1/keygroups/balanced?${query}`)).json<{ keys: { subtask: number; keys: string[] }[] }>();
    const csv = await service.app.inject(`/keys/balanced.csv?${query}`);
    expect(csv.statusCode).toBe(200);
    expect(csv.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(csv.headers['content-disposition']).toBe('attachment; filename="balanced-keys-p6-m128.csv"');
    const lines = csv.body.trimEnd().split('\r\n');
    expect(lines[0]).toBe('subtask,key');
    const expected = api.keys.flatMap((s) => s.keys.map((k) => `${s.subtask},"${k.replace(/"/g, '""')}"`));
    expect(expected).toHaveLength(18);
    expect(lines.slice(1)).toEqual(expected);
  });

  it('rejects a bad balanced query with the API error shape', async () => {
    service = (await fakeService('{}')).service;
    const res = await service.app.inject('/keys/balanced.csv?parallelism=200&maxParallelism=128');
    expect(res.statusCode).toBe(400);
    expect(res.json<{ message: string }>().message).toMatch(/maxParallelism|parallelism/);
  });

  it('writes RFC 4180 CSV', () => {
    expect(toCsv(['a', 'b'], [[1, 'x'], [2, 'has,comma'], [3, 'say "hi"'], [4, '-1']])).toBe('a,b\r\n1,x\r\n2,"has,comma"\r\n3,"say ""hi"""\r\n4,-1\r\n');
  });
});
