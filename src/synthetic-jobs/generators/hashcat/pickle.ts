/**
 * Minimal Python pickle (protocol 2, no memo) for the hashcat payload (synthetic-jobs.md §5.2.5).
 * Writer: dict of str -> int | str | list of (int | str). Reader: the same subset (used by the devnet
 * executor, which plays the job image's role).
 */
export type PickleScalar = number | string;
export type PickleValue = PickleScalar | PickleScalar[];

export function pickleDumps(mapping: ReadonlyArray<readonly [string, PickleValue]>): Buffer {
  const parts: Buffer[] = [Buffer.from([0x80, 0x02, 0x7d, 0x28])];
  for (const [key, value] of mapping) {
    parts.push(unicode(key));
    parts.push(Array.isArray(value) ? list(value) : scalar(value));
  }
  parts.push(Buffer.from([0x75, 0x2e]));
  return Buffer.concat(parts);
}

function unicode(s: string): Buffer {
  const bytes = Buffer.from(s, 'utf8');
  const head = Buffer.alloc(5);
  head[0] = 0x58;
  head.writeUInt32LE(bytes.length, 1);
  return Buffer.concat([head, bytes]);
}

function int(n: number): Buffer {
  if (!Number.isInteger(n) || n < -0x80000000 || n > 0x7fffffff) throw new RangeError(`pickle writer supports 32-bit ints, got ${n}`);
  if (n >= 0 && n <= 255) return Buffer.from([0x4b, n]);
  const b = Buffer.alloc(5);
  b[0] = 0x4a;
  b.writeInt32LE(n, 1);
  return b;
}

function scalar(v: PickleScalar): Buffer {
  return typeof v === 'string' ? unicode(v) : int(v);
}

function list(items: PickleScalar[]): Buffer {
  return Buffer.concat([Buffer.from([0x5d, 0x28]), ...items.map(scalar), Buffer.from([0x65])]);
}

/** Reads what `pickleDumps` writes (and the same opcodes in general); throws on anything else. */
export function pickleLoads(data: Buffer): Record<string, PickleValue> {
  const stack: unknown[] = [];
  const marks: number[] = [];
  let i = 0;
  const need = (n: number) => {
    if (i + n > data.length) throw new Error('truncated pickle');
  };
  if (data[i] === 0x80) i += 2;
  for (;;) {
    need(1);
    const op = data[i++];
    switch (op) {
      case 0x7d: stack.push({}); break; // EMPTY_DICT
      case 0x5d: stack.push([]); break; // EMPTY_LIST
      case 0x28: marks.push(stack.length); break; // MARK
      case 0x58: { // BINUNICODE
        need(4);
        const len = data.readUInt32LE(i);
        i += 4;
        need(len);
        stack.push(data.subarray(i, i + len).toString('utf8'));
        i += len;
        break;
      }
      case 0x4b: need(1); stack.push(data[i++]); break; // BININT1
      case 0x4d: need(2); stack.push(data.readUInt16LE(i)); i += 2; break; // BININT2
      case 0x4a: need(4); stack.push(data.readInt32LE(i)); i += 4; break; // BININT
      case 0x65: { // APPENDS
        const m = marks.pop();
        if (m === undefined) throw new Error('APPENDS without MARK');
        const items = stack.splice(m);
        (stack[stack.length - 1] as unknown[]).push(...items);
        break;
      }
      case 0x75: { // SETITEMS
        const m = marks.pop();
        if (m === undefined) throw new Error('SETITEMS without MARK');
        const items = stack.splice(m);
        const dict = stack[stack.length - 1] as Record<string, unknown>;
        for (let k = 0; k + 1 < items.length; k += 2) dict[String(items[k])] = items[k + 1];
        break;
      }
      case 0x2e: { // STOP
        const top = stack.pop();
        if (typeof top !== 'object' || top === null || Array.isArray(top)) throw new Error('pickle is not a mapping');
        return top as Record<string, PickleValue>;
      }
      default:
        throw new Error(`unsupported pickle opcode 0x${op.toString(16)}`);
    }
  }
}
