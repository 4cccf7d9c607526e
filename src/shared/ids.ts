import { randomFillSync } from 'node:crypto';

/**
 * Time-ordered UUIDs (RFC 9562 version 7): 48 bits of Unix milliseconds, a 12-bit counter that
 * keeps ids made in the same millisecond in order, then 62 random bits. Rows inserted in bulk
 * with them land at the right end of their btree indexes instead of on random pages, which keeps
 * big inserts cheap however large the table grows. Unique like random UUIDs (62 random bits per
 * millisecond and counter value), monotonic within one process.
 */
const HEX = Buffer.from('0123456789abcdef');
const DASH_AFTER = new Set([4, 6, 8, 10]); // bytes before each '-' of 8-4-4-4-12
const random = Buffer.alloc(8 * 1024);
let randomAt = random.length;
const bytes = Buffer.alloc(16);
const text = Buffer.alloc(36);
let lastMs = 0;
let counter = 0;

export function timeOrderedUuid(): string {
  let ms = Date.now();
  if (ms > lastMs) {
    counter = 0;
  } else {
    ms = lastMs; // the clock did not move (or went back): stay on the last millisecond
    if (++counter > 0xfff) {
      ms += 1; // the counter is spent: borrow the next millisecond
      counter = 0;
    }
  }
  lastMs = ms;
  if (randomAt + 8 > random.length) {
    randomFillSync(random);
    randomAt = 0;
  }
  bytes.writeUIntBE(ms, 0, 6);
  bytes[6] = 0x70 | (counter >>> 8); // version 7
  bytes[7] = counter & 0xff;
  random.copy(bytes, 8, randomAt, randomAt + 8);
  randomAt += 8;
  bytes[8] = 0x80 | (bytes[8]! & 0x3f); // variant 10
  let o = 0;
  // Every index is in range: bytes has 16, HEX 16 (one per nibble), text 36.
  for (let i = 0; i < 16; i++) {
    if (DASH_AFTER.has(i)) text[o++] = 0x2d;
    const b = bytes[i]!;
    text[o++] = HEX[b >> 4]!;
    text[o++] = HEX[b & 15]!;
  }
  return text.toString('latin1', 0, 36);
}
