import { expect } from 'chai';
import { formatMoney, fractionDigits, minorToDecimal, MoneyInputError, parseMoneyInput } from '../../web/src/money';

/** The web app's money: integer minor units as strings in, exact text out, and back (no floats). */
describe('web money: formatting and parsing minor units without floating point', () => {
  it('takes each currency\'s fraction digits from Intl', () => {
    expect([fractionDigits('USD'), fractionDigits('JPY'), fractionDigits('BHD'), fractionDigits('EUR')]).to.deep.equal([2, 0, 3, 2]);
    expect(() => fractionDigits('usd')).to.throw(RangeError);
  });

  it('splits minor units into an exact decimal string with BigInt', () => {
    const cases: [string, string, string][] = [
      ['0', 'USD', '0.00'],
      ['5', 'USD', '0.05'],
      ['10001', 'USD', '100.01'],
      ['-250', 'USD', '-2.50'],
      ['1500', 'JPY', '1500'],
      ['12345', 'BHD', '12.345'],
      ['999999999999999999', 'USD', '9999999999999999.99'],
    ];
    for (const [minor, currency, want] of cases) expect(minorToDecimal(minor, currency), `${minor} ${currency}`).to.equal(want);
    for (const bad of ['1.5', '', '01', '1e3', ' 7']) expect(() => minorToDecimal(bad, 'USD'), bad).to.throw(RangeError);
  });

  it('formats with Intl from the decimal string: every digit survives, even past 2^53', () => {
    expect(formatMoney('5000', 'USD')).to.equal('$50.00');
    expect(formatMoney('10001', 'USD')).to.equal('$100.01');
    expect(formatMoney('-5', 'USD')).to.equal('-$0.05');
    expect(formatMoney('1500', 'JPY')).to.equal('¥1,500');
    expect(formatMoney('12345', 'BHD')).to.equal('BHD\u00a012.345');
    // 2^53 + 1 cents: a Number would round it.
    expect(formatMoney('9007199254740993', 'USD')).to.equal('$90,071,992,547,409.93');
    expect(formatMoney('999999999999999999', 'USD')).to.equal('$9,999,999,999,999,999.99');
    expect(formatMoney('123456', 'EUR', 'de-DE')).to.equal('1.234,56\u00a0€');
  });

  it('parses what a person typed into minor units by string manipulation', () => {
    const cases: [string, string, string][] = [
      ['100.01', 'USD', '10001'],
      ['100', 'USD', '10000'],
      ['100.5', 'USD', '10050'],
      ['.5', 'USD', '50'],
      ['7.', 'USD', '700'],
      [' 1,250.75 ', 'USD', '125075'],
      ['0.00', 'USD', '0'],
      ['007.05', 'USD', '705'],
      ['1500', 'JPY', '1500'],
      ['1.234', 'BHD', '1234'],
      ['90071992547409.93', 'USD', '9007199254740993'],
    ];
    for (const [input, currency, want] of cases) expect(parseMoneyInput(input, currency), `${input} ${currency}`).to.equal(want);
  });

  it('refuses what is not an amount, with a message a person understands', () => {
    const cases: [string, string, RegExp][] = [
      ['', 'USD', /Enter an amount/],
      ['   ', 'USD', /Enter an amount/],
      ['-1', 'USD', /cannot be negative/],
      ['1.001', 'USD', /at most 2 decimals for USD/],
      ['1.5', 'JPY', /JPY amounts have no decimals/],
      ['1e3', 'USD', /such as 100/],
      ['12,34', 'USD', /such as 100/],
      ['1.2.3', 'USD', /such as 100/],
      ['$5', 'USD', /such as 100/],
      ['.', 'USD', /such as 100/],
      ['Infinity', 'USD', /such as 100/],
      ['10000000000000000.00', 'USD', /too large/],
    ];
    for (const [input, currency, message] of cases) {
      expect(() => parseMoneyInput(input, currency), input).to.throw(MoneyInputError, message);
    }
  });

  it('round-trips: formatting what was parsed gives the amount back', () => {
    for (const input of ['0.01', '19.99', '1234567.89']) {
      expect(minorToDecimal(parseMoneyInput(input, 'USD'), 'USD')).to.equal(input);
    }
  });
});
