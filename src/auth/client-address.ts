import { isIPv6 } from 'node:net';

/**
 * The address an attempt is counted under: IPv4 as is (also when mapped into IPv6); IPv6 by its
 * /64, since one client usually holds a whole /64 and could otherwise rotate through it.
 */
export function addressKey(address: string | undefined): string {
  if (!address) return 'unknown';
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (mapped) return mapped[1]!; // the pattern's one group always takes part in a match
  if (!isIPv6(address)) return address;
  const [head, tail = ''] = address.split('%')[0]!.toLowerCase().split('::'); // split answers one piece at least
  const left = head ? head.split(':') : [];
  const right = address.includes('::') && tail ? tail.split(':') : [];
  const width = (gs: string[]) => gs.reduce((n, g) => n + (g.includes('.') ? 2 : 1), 0); // a trailing IPv4 is two groups
  const groups = [...left, ...Array(Math.max(0, 8 - width(left) - width(right))).fill('0'), ...right];
  return `${groups.slice(0, 4).map((g) => g.replace(/^0+(?=.)/, '')).join(':')}::/64`;
}
