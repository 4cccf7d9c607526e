import { expect } from 'chai';
import { formatCode, hasValidCheckDigit, luhnCheckDigit, newActivationCode, normalizeCode } from '../../src/issuance/activation-code';
import { addressKey } from '../../src/auth/client-address';

/** R31: the code's shape, as pure functions. */
describe('R31 activation code: digits, check digit, normalization', () => {
  it('R31: the Luhn check digit matches known numbers', () => {
    for (const valid of ['79927398713', '4111111111111111', '5555555555554444', '0000000000000000']) {
      expect(hasValidCheckDigit(valid), valid).to.equal(true);
      expect(luhnCheckDigit(valid.slice(0, -1))).to.equal(valid.slice(-1));
    }
    expect(hasValidCheckDigit('79927398710')).to.equal(false);
  });

  it('R31: a new code is 16 digits with a valid check digit; every single mistyped digit is caught', () => {
    const seen = new Set<string>();
    for (let n = 0; n < 50; n++) {
      const code = newActivationCode();
      expect(code).to.match(/^\d{16}$/);
      expect(hasValidCheckDigit(code)).to.equal(true);
      seen.add(code);
      for (let i = 0; i < 16; i++) {
        for (let d = 0; d < 10; d++) {
          if (String(d) === code[i]) continue;
          expect(hasValidCheckDigit(code.slice(0, i) + d + code.slice(i + 1))).to.equal(false);
        }
      }
    }
    expect(seen.size).to.equal(50);
  });

  it('R31: two swapped neighbours are caught (except 09/90, Luhn\'s known blind spot)', () => {
    const payload = '123456789012345';
    const base = payload + luhnCheckDigit(payload);
    for (let i = 0; i < 15; i++) {
      const pair = base.slice(i, i + 2);
      if (base[i] === base[i + 1] || pair === '09' || pair === '90') continue;
      expect(hasValidCheckDigit(base.slice(0, i) + base[i + 1] + base[i] + base.slice(i + 2)), `swap at ${i}`).to.equal(false);
    }
  });

  it('R31: spaces and dashes are ignored; the CSV groups digits by four', () => {
    expect(normalizeCode(' 1234-5678 9012\t3456 ')).to.equal('1234567890123456');
    expect(formatCode('1234567890123456')).to.equal('1234-5678-9012-3456');
  });

  it('R31: attempts are counted per IPv4 address and per IPv6 /64', () => {
    expect(addressKey('203.0.113.7')).to.equal('203.0.113.7');
    expect(addressKey('::ffff:203.0.113.7')).to.equal('203.0.113.7');
    expect(addressKey('2001:db8:1:2:aaaa::1')).to.equal('2001:db8:1:2::/64');
    expect(addressKey('2001:db8:1:2:bbbb:cccc:dddd:eeee')).to.equal('2001:db8:1:2::/64');
    expect(addressKey('2001:db8::1')).to.equal('2001:db8:0:0::/64');
    expect(addressKey('::1')).to.equal('0:0:0:0::/64');
    expect(addressKey(undefined)).to.equal('unknown');
  });
});
