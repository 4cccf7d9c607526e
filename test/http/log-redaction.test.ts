import { expect } from 'chai';
import { Writable } from 'node:stream';
import pino from 'pino';
import { REDACT } from '../../src/logger';

/** A logger with the API's redaction, writing its lines into an array. */
function capture() {
  const lines: Record<string, unknown>[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _enc, done) {
      lines.push(JSON.parse(chunk.toString()));
      done();
    },
  });
  return { log: pino({ redact: REDACT, base: undefined, timestamp: false }, stream), lines };
}

describe('logs: secrets are redacted in every line', () => {
  it('credential headers, sent and set, are [redacted]; the other headers are kept', () => {
    const { log, lines } = capture();
    log.info({
      req: { method: 'POST', headers: { authorization: 'Bearer cc_secret', cookie: 'cc_session=s', 'x-csrf-token': 'c', 'content-type': 'application/json' } },
      res: { statusCode: 200, headers: { 'set-cookie': 'cc_session=s2', 'x-request-id': 'r1' } },
    });
    expect(lines[0]).to.deep.include({
      req: { method: 'POST', headers: { authorization: '[redacted]', cookie: '[redacted]', 'x-csrf-token': '[redacted]', 'content-type': 'application/json' } },
      res: { statusCode: 200, headers: { 'set-cookie': '[redacted]', 'x-request-id': 'r1' } },
    });
  });

  it('token, password and the like are [redacted] in any object logged, in a child logger\'s bindings too; nothing else changes', () => {
    const { log, lines } = capture();
    const user = { id: 'u1', password: 'p', currentPassword: 'c', newPassword: 'n', passwordHash: 'h', password_hash: 'h2' };
    const child = log.child({ session: { id: 's1', csrfToken: 'x' } });
    child.setBindings({ issued: { token: 't', tokenHash: 'th', name: 'ci' } });
    child.info({ user, ids: ['a', 'b'], count: 2, note: 'password' }, 'done');
    expect(lines[0]).to.deep.include({
      session: { id: 's1', csrfToken: '[redacted]' },
      issued: { token: '[redacted]', tokenHash: '[redacted]', name: 'ci' },
      user: { id: 'u1', password: '[redacted]', currentPassword: '[redacted]', newPassword: '[redacted]', passwordHash: '[redacted]', password_hash: '[redacted]' },
      ids: ['a', 'b'],
      count: 2,
      note: 'password',
      msg: 'done',
    });
    // The logged object itself is left as it was.
    expect(user.password).to.equal('p');
  });
});
