import { expect } from 'chai';
import { harness } from '../support/harness';
import { pgArray } from '../../src/db/pg-array';
import { timeOrderedUuid } from '../../src/shared/ids';
import { first, nth } from '../../src/db/rows';

describe('bulk parameters: array literals and time-ordered ids', () => {
  it('each kind of array reaches PostgreSQL element for element, text quoted and escaped', async () => {
    const ids = [timeOrderedUuid(), timeOrderedUuid()];
    const text = ['p1', 'a "quoted", {braced} \\ name', 'NULL', ''];
    const [r] = await harness.ds.query(`SELECT $1::uuid[]::text[] AS ids, $2::text[] AS text, $3::bigint[]::text[] AS big, $4::bool[] AS bools, $5::int[] AS ints`, [
      pgArray.uuid(ids), pgArray.text(text), pgArray.bigint([-9007199254740993n, 0n, 12n]), pgArray.bool([true, false]), pgArray.int([1, -2]),
    ]);
    expect(r).to.deep.equal({ ids, text, big: ['-9007199254740993', '0', '12'], bools: [true, false], ints: [1, -2] });
    expect(() => pgArray.uuid([`${ids[0]},${ids[1]}`])).to.throw(TypeError);
    expect(() => pgArray.int([1.5])).to.throw(TypeError);
  });

  it('time-ordered uuids are version 7, unique, in the order they were made, and carry the time', () => {
    const before = Date.now();
    const made = Array.from({ length: 10_000 }, timeOrderedUuid);
    expect(new Set(made).size).to.equal(made.length);
    expect(made.every((id, i) => /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/.test(id) && (i === 0 || nth(made, i - 1) < id))).to.equal(true);
    const ms = Number.parseInt(first(made).replace(/-/g, '').slice(0, 12), 16);
    expect(ms).to.be.within(before, Date.now() + 5);
  });
});
