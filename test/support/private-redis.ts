import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import IORedis from 'ioredis';
import { freePort } from './api-process';

/**
 * A Redis server of the test's own, so the test can kill and restart it. Append-only with fsync on
 * every write, as a production Redis for BullMQ should be configured.
 */
export class PrivateRedis {
  private child?: ChildProcess;
  private constructor(readonly port: number, readonly dir: string) {}

  static async start(): Promise<PrivateRedis> {
    const r = new PrivateRedis(await freePort(), fs.mkdtempSync(path.join(os.tmpdir(), 'coupons-redis-')));
    await r.up();
    return r;
  }

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  async up(): Promise<void> {
    this.child = spawn('redis-server', [
      '--port', String(this.port), '--bind', '127.0.0.1', '--dir', this.dir, '--save', '',
      '--appendonly', 'yes', '--appendfsync', 'always', '--maxmemory-policy', 'noeviction',
    ], { stdio: ['ignore', 'pipe', 'inherit'] });
    await new Promise<void>((resolve, reject) => {
      let out = '';
      this.child!.stdout!.on('data', (d: Buffer) => {
        out += d.toString();
        if (out.includes('Ready to accept connections')) resolve();
      });
      this.child!.once('exit', (code) => reject(new Error(`redis-server exited ${code}: ${out}`)));
    });
  }

  /** As a crash would: no chance to save anything beyond what the append-only file already has. */
  async kill(): Promise<void> {
    const child = this.child!;
    const gone = new Promise((r) => child.once('exit', r));
    child.kill('SIGKILL');
    await gone;
  }

  async stop(): Promise<void> {
    if (this.child && this.child.exitCode === null && this.child.signalCode === null) await this.kill();
    fs.rmSync(this.dir, { recursive: true, force: true });
  }

  client(): IORedis {
    return new IORedis(this.url, { maxRetriesPerRequest: null });
  }
}
