import net from 'node:net';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { expect } from 'chai';
import { harness } from '../support/harness';
import { call } from '../support/http';
import { freePort, spawnApi } from '../support/api-process';
import { createApp } from '../../src/app';
import { redisConnection, redisReady } from '../../src/jobs/queues';
import { PrivateRedis } from '../support/private-redis';
import { ERROR_CODES } from '../../src/shared/error-codes';
import { ConfigError, loadConfig } from '../../src/config';

describe('operations: health, readiness, metrics, OpenAPI, logs, shutdown, configuration', () => {
  it('/healthz answers ok and /readyz reports PostgreSQL and Redis reachable', async () => {
    expect((await call('GET', '/healthz')).body).to.deep.equal({ status: 'ok' });
    const ready = await call('GET', '/readyz');
    expect(ready.status).to.equal(200);
    expect(ready.body).to.deep.equal({ status: 'ready', checks: { postgres: 'ok', redis: 'ok' } });
  });

  it('/readyz is 503 naming Redis when Redis cannot be reached', async () => {
    const deadRedis = redisConnection(`redis://127.0.0.1:${await freePort()}`, { forWorker: false });
    deadRedis.on('error', () => undefined);
    const server: Server = createApp({ ds: harness.ds, redis: deadRedis }).listen(0, '127.0.0.1');
    await new Promise((r) => server.once('listening', r));
    try {
      const res = await fetch(`http://127.0.0.1:${(server.address() as AddressInfo).port}/readyz`);
      expect(res.status).to.equal(503);
      expect(await res.json()).to.deep.equal({ status: 'not_ready', checks: { postgres: 'ok', redis: 'down' } });
    } finally {
      server.close();
      deadRedis.disconnect();
    }
  });

  it('/readyz is 503 naming Redis when Redis answers PING but refuses writes, as sign-in then does (503)', async () => {
    const redis = await PrivateRedis.start();
    const client = redisConnection(redis.url, { forWorker: false });
    client.on('error', () => undefined);
    await redisReady(client);
    const server: Server = createApp({ ds: harness.ds, redis: client }).listen(0, '127.0.0.1');
    await new Promise((r) => server.once('listening', r));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    try {
      expect((await fetch(`${base}/readyz`)).status).to.equal(200);
      const admin = redis.client();
      await admin.config('SET', 'maxmemory', '1'); // noeviction: every write is refused from now on
      expect(await admin.ping()).to.equal('PONG');
      const res = await fetch(`${base}/readyz`);
      expect(res.status).to.equal(503);
      expect(await res.json()).to.deep.equal({ status: 'not_ready', checks: { postgres: 'ok', redis: 'down' } });
      // What readiness now says is what a request meets: a sign-in's limiter cannot write either.
      const signIn = await fetch(`${base}/v1/session`, {
        method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: 'nobody@test.example', password: 'wrong-password-1' }),
      });
      expect(signIn.status).to.equal(503);
      admin.disconnect();
    } finally {
      server.close();
      client.disconnect();
      await redis.stop();
    }
  });

  it('/metrics exposes Prometheus metrics: request durations by route and pending outbox intents', async () => {
    await call('GET', '/healthz');
    const res = await fetch(`${harness.baseUrl}/metrics`);
    const text = await res.text();
    expect(res.headers.get('content-type')).to.include('text/plain');
    expect(text).to.include('http_request_duration_seconds_bucket');
    expect(text).to.match(/outbox_pending \d+/);
    expect(text).to.include('process_cpu_seconds_total');
  });

  it('/openapi.json is an OpenAPI 3.1 document of every /v1 route with its errors, and /docs renders it', async () => {
    const doc = (await call('GET', '/openapi.json')).body;
    expect(doc.openapi).to.equal('3.1.0');
    expect(doc.components.securitySchemes.bearerAuth).to.include({ type: 'http', scheme: 'bearer' });
    for (const p of ['/v1/partners', '/v1/partners/{id}', '/v1/accounts/{id}/deactivate', '/v1/users/{id}/tokens', '/v1/tokens/{id}/revoke', '/v1/me']) {
      expect(doc.paths, p).to.have.property(p);
    }
    for (const [p, ops] of Object.entries(doc.paths as Record<string, Record<string, { responses: object }>>)) {
      for (const [m, op] of Object.entries(ops)) expect(op.responses, `${m} ${p}`).to.include.keys('400', '401');
    }
    expect(doc.components.schemas.CreatePartner.additionalProperties).to.equal(false);
    const page = await fetch(`${harness.baseUrl}/docs/`);
    expect(page.status).to.equal(200);
    expect(await page.text()).to.include('swagger-ui');
  });

  it('the error catalogue: each route\'s error answers list the codes of their status, with what each means', async () => {
    const doc = (await call('GET', '/openapi.json')).body;
    const schemaOf = (path: string, method: string, status: string) => {
      const ref: string = doc.paths[path][method].responses[status].content['application/json'].schema.$ref;
      return doc.components.schemas[ref.split('/').pop()!];
    };
    const conflict = schemaOf('/v1/issuance-requests/{id}/cancel', 'post', '409').properties.error.properties.code;
    expect(conflict.enum).to.include.members(['invalid_transition', 'account_deactivated', 'idempotency_key_reused']);
    expect(conflict.enum.every((c: string) => ERROR_CODES[c as keyof typeof ERROR_CODES][0] === 409)).to.equal(true);
    expect(conflict.description).to.include(`invalid_transition: ${ERROR_CODES.invalid_transition[1]}`);
    expect(schemaOf('/v1/usage', 'post', '415').properties.error.properties.code.enum).to.deep.equal(['unsupported_media_type']);
    // No generic code is left: every refusal names what happened.
    expect(Object.keys(ERROR_CODES)).to.not.include.members(['conflict', 'unprocessable']);
  });

  it('a request id is taken from X-Request-Id (or made) and echoed back', async () => {
    const given = await call('GET', '/healthz', { headers: { 'x-request-id': 'req-abc.123' } });
    expect(given.headers.get('x-request-id')).to.equal('req-abc.123');
    const made = await call('GET', '/healthz', { headers: { 'x-request-id': 'bad id with spaces' } });
    expect(made.headers.get('x-request-id')).to.match(/^[0-9a-f-]{36}$/);
  });

  it('configuration is validated at start with a message naming the bad variable', () => {
    const base = { DATABASE_URL: 'postgres://x@127.0.0.1/db', REDIS_URL: 'redis://127.0.0.1:6379' };
    expect(() => loadConfig({ ...base, PORT: 'eighty' })).to.throw(ConfigError, /PORT/);
    expect(() => loadConfig({ ...base, REDIS_URL: 'http://nope' })).to.throw(ConfigError, /REDIS_URL/);
    expect(() => loadConfig({ REDIS_URL: base.REDIS_URL })).to.throw(ConfigError, /DATABASE_URL/);
    expect(loadConfig(base).PORT).to.equal(3000);
  });

  it('the API process refuses to start on a bad variable, exiting 2 and naming it', async () => {
    const api = spawnApi({ WORKER_CONCURRENCY: 'many' });
    const { code } = await api.exited;
    expect(code).to.equal(2);
    expect(api.output()).to.include('WORKER_CONCURRENCY');
  });

  it('SIGTERM: the API stops accepting, finishes the request in flight, logs JSON lines with its request id, and exits 0', async () => {
    const port = await freePort();
    const api = spawnApi({ SHUTDOWN_GRACE_MS: '10000' }, port);
    await api.waitFor('api listening');
    // A request whose body is still arriving when the signal comes.
    const socket = net.connect(port, '127.0.0.1');
    await new Promise((r) => socket.once('connect', r));
    let response = '';
    socket.on('data', (d) => (response += d.toString()));
    const closed = new Promise((r) => socket.once('close', r));
    const body = JSON.stringify({ name: 'slow' });
    socket.write(`POST /v1/users HTTP/1.1\r\nHost: x\r\nX-Request-Id: drain-me\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\nConnection: close\r\n\r\n${body.slice(0, 5)}`);
    api.child.kill('SIGTERM');
    await api.waitFor('api stopping');
    socket.end(body.slice(5));
    await closed;
    expect(response).to.match(/^HTTP\/1\.1 401/);
    const { code } = await api.exited;
    expect(code).to.equal(0);
    const lines = api.output().trim().split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l));
    expect(lines.some((l) => l.msg === 'api stopped')).to.equal(true);
    const ours = lines.filter((l) => l.req?.id === 'drain-me');
    expect(ours.length).to.be.greaterThan(0);
    expect(ours.every((l) => typeof l.level === 'number' && typeof l.time === 'string')).to.equal(true);
  });
});
