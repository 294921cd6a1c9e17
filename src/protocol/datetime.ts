/**
 * Pydantic JSON-mode datetime rendering (miner-protocol.md §3.4, TV-8). Timestamps stay strings with
 * microsecond precision end to end: a JS Date would lose the microseconds that receipt signatures cover.
 */

const ISO_RE =
  /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?(Z|z|[+-]\d{2}(?::?\d{2})?)?)?$/;

export type CanonicalDatetime = string;

/**
 * Receipt timestamps are rendered again each time a receipt is signed, sent or stored; parsing is
 * pure, so recent strings are remembered (the map is simply dropped when full).
 */
const recentCanonical = new Map<string, CanonicalDatetime | null>();
const RECENT_MAX = 20_000;

/** Canonical form of a datetime value as pydantic (lax) parses it, or null when pydantic would reject it. */
export function canonicalDatetime(value: unknown): CanonicalDatetime | null {
  if (typeof value === 'number') return fromUnixNumber(value);
  if (typeof value !== 'string') return null;
  // anything longer than a datetime is not worth remembering (and may come from a peer)
  if (value.length > 40) return canonicalDatetimeOfString(value);
  const known = recentCanonical.get(value);
  if (known !== undefined) return known;
  const out = canonicalDatetimeOfString(value);
  if (recentCanonical.size >= RECENT_MAX) recentCanonical.clear();
  recentCanonical.set(value, out);
  return out;
}

function canonicalDatetimeOfString(value: string): CanonicalDatetime | null {
  const s = value.trim();
  if (/^-?\d+(\.\d+)?$/.test(s)) return fromUnixNumber(Number(s));
  const m = ISO_RE.exec(s);
  if (!m) return null;
  const [, y, mo, d, h = '00', mi = '00', sec = '00', frac, zone] = m;
  const year = Number(y), month = Number(mo), day = Number(d), hour = Number(h), minute = Number(mi), second = Number(sec);
  if (month < 1 || month > 12 || day < 1 || hour > 23 || minute > 59 || second > 59) return null;
  const probe = new Date(Date.UTC(year, month - 1, day));
  if (probe.getUTCDate() !== day || probe.getUTCMonth() !== month - 1) return null;
  if (m[4] === undefined && zone !== undefined) return null;
  const micros = frac === undefined ? 0 : Number(frac.padEnd(6, '0').slice(0, 6));
  let zoneText = '';
  if (zone !== undefined) {
    if (zone === 'Z' || zone === 'z') zoneText = 'Z';
    else {
      const digits = zone.slice(1).replace(':', '');
      const zh = Number(digits.slice(0, 2));
      const zm = digits.length > 2 ? Number(digits.slice(2, 4)) : 0;
      if (zh > 23 || zm > 59) return null;
      zoneText = zh === 0 && zm === 0 ? 'Z' : `${zone[0]}${pad(zh, 2)}:${pad(zm, 2)}`;
    }
  }
  return render(year, month, day, hour, minute, second, micros) + zoneText;
}

/** Canonical UTC rendering of epoch milliseconds (e.g. Clock.now()). */
export function canonicalDatetimeFromMs(ms: number): CanonicalDatetime {
  const d = new Date(Math.floor(ms));
  return render(d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate(), d.getUTCHours(), d.getUTCMinutes(), d.getUTCSeconds(), d.getUTCMilliseconds() * 1000) + 'Z';
}

/** Epoch microseconds of a canonical datetime (naive values are taken as UTC), as a bigint. */
export function datetimeToEpochMicros(value: CanonicalDatetime): bigint {
  const m = ISO_RE.exec(value);
  if (!m) throw new Error(`not a canonical datetime: ${value}`);
  const [, y, mo, d, h = '00', mi = '00', sec = '00', frac, zone] = m;
  const base = BigInt(Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(sec))) * 1000n;
  const micros = BigInt(frac === undefined ? 0 : Number(frac.padEnd(6, '0').slice(0, 6)));
  let offsetMinutes = 0;
  if (zone !== undefined && zone !== 'Z' && zone !== 'z') {
    const digits = zone.slice(1).replace(':', '');
    offsetMinutes = (Number(digits.slice(0, 2)) * 60 + (digits.length > 2 ? Number(digits.slice(2, 4)) : 0)) * (zone[0] === '-' ? -1 : 1);
  }
  return base + micros - BigInt(offsetMinutes) * 60_000_000n;
}

function fromUnixNumber(n: number): CanonicalDatetime | null {
  if (!Number.isFinite(n)) return null;
  // pydantic: values above 2e10 are milliseconds
  const seconds = Math.abs(n) > 2e10 ? n / 1000 : n;
  const wholeSeconds = Math.floor(seconds);
  const micros = Math.round((seconds - wholeSeconds) * 1e6);
  const d = new Date(wholeSeconds * 1000);
  if (Number.isNaN(d.getTime())) return null;
  return render(d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate(), d.getUTCHours(), d.getUTCMinutes(), d.getUTCSeconds(), micros) + 'Z';
}

function render(y: number, mo: number, d: number, h: number, mi: number, s: number, micros: number): string {
  const base = `${pad(y, 4)}-${pad(mo, 2)}-${pad(d, 2)}T${pad(h, 2)}:${pad(mi, 2)}:${pad(s, 2)}`;
  return micros === 0 ? base : `${base}.${pad(micros, 6)}`;
}

function pad(n: number, width: number): string {
  return String(n).padStart(width, '0');
}
