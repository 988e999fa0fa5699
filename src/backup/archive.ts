/**
 * The backup file is a plain POSIX tar archive (`tar tvf backup.tar` lists it), written and read
 * here without a dependency: only regular files, read by offset rather than extracted, so a
 * restore can read the manifest first and then copy the dump out of the same file.
 */
import { createReadStream, createWriteStream, type WriteStream } from 'node:fs';
import { type FileHandle, open } from 'node:fs/promises';
import { pipeline } from 'node:stream/promises';

const BLOCK = 512;
/** The largest size the 11 octal digits of a ustar header hold (8 GiB − 1). */
const MAX_OCTAL_SIZE = 0o77777777777;

export interface ArchiveEntry {
  name: string;
  /** Bytes of the entry's content. */
  size: number;
  /** Where its content starts in the archive. */
  offset: number;
}

function writeText(header: Buffer, text: string, at: number, length: number): void {
  header.write(text.slice(0, length), at, length, 'ascii');
}

function writeOctal(header: Buffer, value: number, at: number, length: number): void {
  writeText(header, `${value.toString(8).padStart(length - 1, '0')}\0`, at, length);
}

/** Sizes past 8 GiB use the base-256 form GNU tar reads: a high bit, then the number big-endian. */
function writeSize(header: Buffer, size: number): void {
  if (size <= MAX_OCTAL_SIZE) {
    writeOctal(header, size, 124, 12);
    return;
  }
  header.writeUInt8(0x80, 124);
  header.writeBigUInt64BE(BigInt(size), 128);
}

function readSize(header: Buffer): number {
  if ((header.readUInt8(124) & 0x80) !== 0) return Number(header.readBigUInt64BE(128));
  return Number.parseInt(header.toString('ascii', 124, 136).replace(/\0.*$/, '').trim() || '0', 8);
}

function checksum(header: Buffer): number {
  let sum = 0;
  for (let i = 0; i < BLOCK; i++) sum += i >= 148 && i < 156 ? 0x20 : (header[i] ?? 0);
  return sum;
}

/** A ustar header for a regular file, readable only by its owner (mode 0600). */
export function fileHeader(name: string, size: number, mtime: Date): Buffer {
  if (Buffer.byteLength(name, 'ascii') > 99) throw new Error(`archive entry name too long: ${name}`);
  const header = Buffer.alloc(BLOCK);
  writeText(header, name, 0, 100);
  writeOctal(header, 0o600, 100, 8);
  writeOctal(header, 0, 108, 8);
  writeOctal(header, 0, 116, 8);
  writeSize(header, size);
  writeOctal(header, Math.floor(mtime.getTime() / 1000), 136, 12);
  header.write('0', 156, 'ascii');
  writeText(header, 'ustar\0', 257, 6);
  writeText(header, '00', 263, 2);
  writeText(header, `${checksum(header).toString(8).padStart(6, '0')}\0 `, 148, 8);
  return header;
}

function padding(size: number): Buffer {
  return Buffer.alloc((BLOCK - (size % BLOCK)) % BLOCK);
}

function write(stream: WriteStream, bytes: Buffer): Promise<void> {
  return new Promise((resolve, reject) => stream.write(bytes, (err) => (err ? reject(err) : resolve())));
}

/** What goes into an archive: bytes in memory, or a file copied in as a stream. */
export type ArchiveSource = { name: string; bytes: Buffer } | { name: string; file: string; size: number };

/** Writes `entries` in order as a tar archive at `target` (created with mode 0600, never overwritten). */
export async function writeArchive(
  target: string,
  entries: readonly ArchiveSource[],
  mtime: Date,
): Promise<void> {
  const out = createWriteStream(target, { flags: 'wx', mode: 0o600 });
  try {
    for (const entry of entries) {
      const size = 'bytes' in entry ? entry.bytes.length : entry.size;
      await write(out, fileHeader(entry.name, size, mtime));
      if ('bytes' in entry) await write(out, entry.bytes);
      else await pipeline(createReadStream(entry.file), out, { end: false });
      await write(out, padding(size));
    }
    await write(out, Buffer.alloc(2 * BLOCK));
  } finally {
    await new Promise<void>((resolve, reject) =>
      out.end((err?: Error | null) => (err ? reject(err) : resolve())),
    );
  }
}

async function readAt(file: FileHandle, position: number, length: number): Promise<Buffer> {
  const buffer = Buffer.alloc(length);
  const { bytesRead } = await file.read(buffer, 0, length, position);
  return buffer.subarray(0, bytesRead);
}

/**
 * The entries of a tar archive, by name, with where their content lies. Throws when the file is
 * not a tar archive or a header's checksum is wrong (a damaged or truncated file).
 */
export async function listArchive(source: string): Promise<Map<string, ArchiveEntry>> {
  const file = await open(source, 'r');
  try {
    const { size: total } = await file.stat();
    const entries = new Map<string, ArchiveEntry>();
    let position = 0;
    for (;;) {
      const header = await readAt(file, position, BLOCK);
      if (header.length < BLOCK) throw new Error('the archive ends without its closing blocks');
      if (header.every((b) => b === 0)) return entries;
      const stored = Number.parseInt(header.toString('ascii', 148, 156).replace(/\0.*$/, '').trim(), 8);
      if (stored !== checksum(header)) throw new Error(`not a tar archive, or damaged at byte ${position}`);
      const name = header.toString('ascii', 0, 100).replace(/\0.*$/s, '');
      const size = readSize(header);
      const offset = position + BLOCK;
      if (offset + size > total) throw new Error(`the archive is truncated inside ${name}`);
      entries.set(name, { name, size, offset });
      position = offset + size + padding(size).length;
    }
  } finally {
    await file.close();
  }
}

/** The content of one entry in memory (only for small entries such as the manifest). */
export async function readEntry(source: string, entry: ArchiveEntry): Promise<Buffer> {
  const file = await open(source, 'r');
  try {
    return await readAt(file, entry.offset, entry.size);
  } finally {
    await file.close();
  }
}

/** A stream of one entry's content. */
export function entryStream(source: string, entry: ArchiveEntry): NodeJS.ReadableStream {
  return createReadStream(source, { start: entry.offset, end: entry.offset + entry.size - 1 });
}
