import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import bcrypt from 'bcryptjs';
import { pino } from 'pino';
import { Agent, request } from 'undici';
import { afterEach, describe, expect, it } from 'vitest';
import { ConfigError, parseConfig } from '../../src/config/load.ts';
import { createService, type Service } from '../../src/service.ts';
import { loadWebConfig } from '../../src/web/web-config.ts';

const TLS = new URL('../flink/tls/', import.meta.url);
const pem = (name: string) => readFileSync(new URL(name, TLS), 'utf8');

function webConfigFile(yaml: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'flink-lens-web-'));
  for (const f of ['server.pem', 'server.key', 'ca.pem']) writeFileSync(join(dir, f), pem(f));
  const file = join(dir, 'web.yaml');
  writeFileSync(file, yaml);
  return file;
}

let service: Service | undefined;
afterEach(async () => {
  await service?.close();
  service = undefined;
});

async function start(webFile: string): Promise<Service> {
  service = await createService({
    loadConfig: () => parseConfig('targets:\n  - { name: a, url: "http://a:8081" }\n', { env: {} }),
    logger: pino({ level: 'silent' }),
    collectorFactory: (t) => ({
      collect: async () => ({ target: t.name, startedAt: 0, durationSeconds: 0, up: true, requests: 0, errors: new Map(), jobs: [], taskmanagers: [] }),
      close: async () => {},
    }),
    web: loadWebConfig(webFile),
  });
  return service;
}

describe('web config: basic auth', () => {
  it('requires valid credentials except on health endpoints', async () => {
    const hash = bcrypt.hashSync('s3cret', 4);
    const { app } = await start(webConfigFile(`basic_auth_users:\n  prometheus: "${hash}"\n`));
    const auth = (user: string, pw: string) => ({ authorization: `Basic ${Buffer.from(`${user}:${pw}`).toString('base64')}` });

    const anonymous = await app.inject('/metrics');
    expect(anonymous.statusCode).toBe(401);
    expect(anonymous.headers['www-authenticate']).toMatch(/^Basic/);
    expect((await app.inject({ url: '/metrics', headers: auth('prometheus', 'wrong') })).statusCode).toBe(401);
    expect((await app.inject({ url: '/probe?target=a', headers: auth('nobody', 's3cret') })).statusCode).toBe(401);
    expect((await app.inject({ url: '/metrics', headers: auth('prometheus', 's3cret') })).statusCode).toBe(200);
    expect((await app.inject({ url: '/api/v1/keygroups/layout?parallelism=2', headers: {} })).statusCode).toBe(401);
    expect((await app.inject('/-/healthy')).statusCode).toBe(200);
    expect((await app.inject('/-/ready')).statusCode).toBe(200);
  });

  it('rejects plain-text passwords and unknown keys without echoing values', () => {
    expect(() => loadWebConfig(webConfigFile('basic_auth_users:\n  u: plaintext-password\n'))).toThrow(/basic_auth_users\.u: must be a bcrypt hash/);
    try {
      loadWebConfig(webConfigFile('basic_auth_users:\n  u: plaintext-password\n'));
    } catch (err) {
      expect(err).toBeInstanceOf(ConfigError);
      expect((err as Error).message).not.toContain('plaintext-password');
    }
    expect(() => loadWebConfig(webConfigFile('tls_config: {}\n'))).toThrow(ConfigError);
  });

  it('reports every problem at once with its line, through the same loader as the exporter config', () => {
    const file = webConfigFile('tls_server_config:\n  cert_file: missing.pem\n  key_file: server.key\n  client_auth_type: Always\nbasic_auth_users:\n  u: plaintext-password\nextra: 1\n');
    let lines: string[] = [];
    try {
      loadWebConfig(file);
    } catch (err) {
      expect(err).toBeInstanceOf(ConfigError);
      lines = (err as ConfigError).lines;
    }
    expect(lines).toEqual([
      `${file}:4: tls_server_config.client_auth_type: must be one of "NoClientCert", "RequestClientCert", "RequireAndVerifyClientCert"`,
      `${file}:6: basic_auth_users.u: must be a bcrypt hash`,
      `${file}:7: extra: unknown key`,
    ]);
    expect(lines.join('\n')).not.toContain('plaintext-password');
  });
});

describe('web config: TLS', () => {
  it('serves HTTPS and, when asked, requires a client certificate', async () => {
    const svc = await start(
      webConfigFile('tls_server_config:\n  cert_file: server.pem\n  key_file: server.key\n  client_ca_file: ca.pem\n  client_auth_type: RequireAndVerifyClientCert\n'),
    );
    await svc.app.listen({ host: '127.0.0.1', port: 0 });
    const port = (svc.app.server.address() as { port: number }).port;
    const withCert = new Agent({ connect: { ca: pem('ca.pem'), cert: pem('client.pem'), key: pem('client.key') } });
    const withoutCert = new Agent({ connect: { ca: pem('ca.pem') } });
    try {
      const ok = await request(`https://localhost:${port}/-/healthy`, { dispatcher: withCert });
      expect(ok.statusCode).toBe(200);
      await ok.body.text();
      await expect(request(`https://localhost:${port}/-/healthy`, { dispatcher: withoutCert }).then((r) => r.body.text())).rejects.toThrow();
    } finally {
      await withCert.close();
      await withoutCert.close();
    }
  });
});
