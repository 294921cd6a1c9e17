import { crc32, deflateRawSync, inflateRawSync } from 'node:zlib';

/**
 * The ZIP subset job volumes use: "stored" and "deflate" entries, no ZIP64, no encryption. Written by
 * the hashcat generator (inline volumes) and the simulated executor (output.zip); read by the
 * simulated executor and the CPU hashcat solver.
 */

export type ZipEntries = Map<string, Buffer>;

const LOCAL_SIG = 0x04034b50;
const CENTRAL_SIG = 0x02014b50;
const END_SIG = 0x06054b50;
const DOS_DATE_1980_01_01 = 0x21;
const UNIX_MODE_RW_R_R = 0x81a40000;
const UTF8_NAMES = 0x0800;

/** Entries by name; throws on anything malformed, on unsupported methods and on paths that escape. */
export function readZip(data: Buffer): ZipEntries {
  const entries: ZipEntries = new Map();
  let end = -1;
  for (let i = data.length - 22; i >= Math.max(0, data.length - 22 - 0xffff); i--) {
    if (data.readUInt32LE(i) === END_SIG) {
      end = i;
      break;
    }
  }
  if (end < 0) throw new Error('not a ZIP file (no end of central directory)');
  const count = data.readUInt16LE(end + 10);
  let p = data.readUInt32LE(end + 16);
  for (let n = 0; n < count; n++) {
    if (p + 46 > data.length || data.readUInt32LE(p) !== CENTRAL_SIG) throw new Error('corrupt ZIP central directory');
    const method = data.readUInt16LE(p + 10);
    const compressedSize = data.readUInt32LE(p + 20);
    const nameLen = data.readUInt16LE(p + 28);
    const extraLen = data.readUInt16LE(p + 30);
    const commentLen = data.readUInt16LE(p + 32);
    const localOffset = data.readUInt32LE(p + 42);
    const name = data.subarray(p + 46, p + 46 + nameLen).toString('utf8');
    p += 46 + nameLen + extraLen + commentLen;
    if (localOffset + 30 > data.length || data.readUInt32LE(localOffset) !== LOCAL_SIG) throw new Error(`corrupt ZIP local header for ${name}`);
    const start = localOffset + 30 + data.readUInt16LE(localOffset + 26) + data.readUInt16LE(localOffset + 28);
    if (start + compressedSize > data.length) throw new Error(`truncated ZIP entry ${name}`);
    const raw = data.subarray(start, start + compressedSize);
    if (name.endsWith('/')) continue;
    if (name.split('/').includes('..') || name.startsWith('/')) throw new Error(`unsafe path in ZIP: ${name}`);
    if (method === 0) entries.set(name, Buffer.from(raw));
    else if (method === 8) entries.set(name, inflateRawSync(raw));
    else throw new Error(`unsupported ZIP compression method ${method} for ${name}`);
  }
  return entries;
}

/** A ZIP of `files` (stored, or deflated with `deflate`), dated 1980-01-01, mode -rw-r--r--. */
export function writeZip(files: Iterable<readonly [string, Buffer]>, opts: { deflate?: boolean } = {}): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  let count = 0;
  for (const [name, content] of files) {
    const nameBuf = Buffer.from(name, 'utf8');
    const compressed = opts.deflate ? deflateRawSync(content) : content;
    const method = opts.deflate ? 8 : 0;
    const crc = crc32(content) >>> 0;
    const local = Buffer.alloc(30);
    local.writeUInt32LE(LOCAL_SIG, 0);
    local.writeUInt16LE(20, 4); // version needed
    local.writeUInt16LE(UTF8_NAMES, 6);
    local.writeUInt16LE(method, 8);
    local.writeUInt16LE(DOS_DATE_1980_01_01, 12);
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(compressed.length, 18);
    local.writeUInt32LE(content.length, 22);
    local.writeUInt16LE(nameBuf.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(CENTRAL_SIG, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(UTF8_NAMES, 8);
    central.writeUInt16LE(method, 10);
    central.writeUInt16LE(DOS_DATE_1980_01_01, 14);
    central.writeUInt32LE(crc, 16);
    central.writeUInt32LE(compressed.length, 20);
    central.writeUInt32LE(content.length, 24);
    central.writeUInt16LE(nameBuf.length, 28);
    central.writeUInt32LE(UNIX_MODE_RW_R_R, 38);
    central.writeUInt32LE(offset, 42);
    locals.push(local, nameBuf, compressed);
    centrals.push(central, nameBuf);
    offset += 30 + nameBuf.length + compressed.length;
    count++;
  }
  const centralBuf = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(END_SIG, 0);
  end.writeUInt16LE(count, 8);
  end.writeUInt16LE(count, 10);
  end.writeUInt32LE(centralBuf.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, centralBuf, end]);
}
