import type { Readable, Writable } from 'node:stream';

/**
 * A minimal streaming tar (ustar) writer and reader: regular files only, names up to 255 bytes, sizes up to 8 GiB.
 * Enough for backup archives (gzip around it), no dependency.
 */
const BLOCK = 512;

function octal(value: number, width: number): string {
  return value.toString(8).padStart(width - 1, '0') + '\0';
}

function header(name: string, size: number, mtime: Date): Buffer {
  const h = Buffer.alloc(BLOCK, 0);
  let file = Buffer.from(name, 'utf8');
  let prefix = Buffer.alloc(0);
  if (file.length > 100) {
    const cut = name.lastIndexOf('/', 155);
    if (cut <= 0 || Buffer.byteLength(name.slice(cut + 1)) > 100) throw new Error(`tar: name too long: ${name}`);
    prefix = Buffer.from(name.slice(0, cut), 'utf8');
    file = Buffer.from(name.slice(cut + 1), 'utf8');
  }
  file.copy(h, 0);
  h.write(octal(0o600, 8), 100, 'ascii');
  h.write(octal(0, 8), 108, 'ascii');
  h.write(octal(0, 8), 116, 'ascii');
  h.write(octal(size, 12), 124, 'ascii');
  h.write(octal(Math.floor(mtime.getTime() / 1000), 12), 136, 'ascii');
  h.write('        ', 148, 'ascii');
  h.write('0', 156, 'ascii');
  h.write('ustar\0', 257, 'ascii');
  h.write('00', 263, 'ascii');
  prefix.copy(h, 345);
  let sum = 0;
  for (const byte of h) sum += byte;
  h.write(octal(sum, 7) + ' ', 148, 'ascii');
  return h;
}

function write(out: Writable, chunk: Buffer): Promise<void> {
  return new Promise((resolve, reject) => {
    if (out.write(chunk)) return resolve();
    const onDrain = () => {
      out.off('error', onError);
      resolve();
    };
    const onError = (e: Error) => {
      out.off('drain', onDrain);
      reject(e);
    };
    out.once('drain', onDrain);
    out.once('error', onError);
  });
}

export class TarWriter {
  constructor(private out: Writable) {}

  /** Adds one file; `data` must yield exactly `size` bytes. */
  async add(name: string, size: number, data: Buffer | AsyncIterable<Buffer | Uint8Array>, mtime = new Date()): Promise<void> {
    await write(this.out, header(name, size, mtime));
    let written = 0;
    const chunks: AsyncIterable<Buffer | Uint8Array> | Buffer[] = Buffer.isBuffer(data) ? [data] : data;
    for await (const chunk of chunks) {
      const buf = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk);
      written += buf.length;
      if (written > size) throw new Error(`tar: ${name} is longer than ${size} bytes`);
      await write(this.out, buf);
    }
    if (written !== size) throw new Error(`tar: ${name} has ${written} bytes, ${size} announced`);
    const pad = (BLOCK - (size % BLOCK)) % BLOCK;
    if (pad) await write(this.out, Buffer.alloc(pad));
  }

  /** Writes the end-of-archive blocks and ends the stream. */
  async finish(): Promise<void> {
    await write(this.out, Buffer.alloc(BLOCK * 2));
    await new Promise<void>((resolve, reject) => {
      this.out.once('error', reject);
      this.out.end(() => resolve());
    });
  }
}

/** Pulls exact byte counts out of a stream. */
class ByteReader {
  private buffered: Buffer[] = [];
  private length = 0;
  private iterator: AsyncIterator<Buffer>;
  private done = false;

  constructor(stream: Readable) {
    this.iterator = (stream as AsyncIterable<Buffer>)[Symbol.asyncIterator]();
  }

  private async fill(n: number): Promise<boolean> {
    while (this.length < n && !this.done) {
      const next = await this.iterator.next();
      if (next.done) this.done = true;
      else {
        const b = Buffer.isBuffer(next.value) ? next.value : Buffer.from(next.value);
        this.buffered.push(b);
        this.length += b.length;
      }
    }
    return this.length >= n;
  }

  private take(n: number): Buffer {
    const all = this.buffered.length === 1 ? this.buffered[0]! : Buffer.concat(this.buffered);
    const out = all.subarray(0, n);
    const rest = all.subarray(n);
    this.buffered = rest.length ? [rest] : [];
    this.length = rest.length;
    return out;
  }

  async read(n: number): Promise<Buffer | null> {
    if (!(await this.fill(n))) return null;
    return this.take(n);
  }

  /** Yields `state.left` bytes in pieces of at most 1 MiB, counting down `state.left` as they are taken. */
  async *chunks(state: { left: number }): AsyncGenerator<Buffer> {
    while (state.left > 0) {
      const want = Math.min(state.left, 1 << 20);
      if (!(await this.fill(1))) throw new Error('tar: archive ends inside a file');
      const piece = this.take(Math.min(want, this.length));
      state.left -= piece.length;
      yield piece;
    }
  }
}

export interface TarEntry {
  name: string;
  size: number;
  /** The entry's bytes; consume (or skip with `drain`) before asking for the next entry. */
  body: AsyncGenerator<Buffer>;
}

function field(h: Buffer, start: number, len: number): string {
  const raw = h.subarray(start, start + len);
  const end = raw.indexOf(0);
  return raw.subarray(0, end < 0 ? len : end).toString('utf8');
}

/** Reads a tar stream entry by entry (regular files; other entry types are skipped). */
export async function* readTar(stream: Readable): AsyncGenerator<TarEntry> {
  const reader = new ByteReader(stream);
  for (;;) {
    const h = await reader.read(BLOCK);
    if (!h || h.every((b) => b === 0)) return;
    let sum = 0;
    for (let i = 0; i < BLOCK; i++) sum += i >= 148 && i < 156 ? 32 : h[i]!;
    if (sum !== parseInt(field(h, 148, 8).trim(), 8)) throw new Error('tar: bad header checksum (not a Chattrix backup?)');
    const name = [field(h, 345, 155), field(h, 0, 100)].filter(Boolean).join('/');
    const size = parseInt(field(h, 124, 12).trim() || '0', 8);
    const type = field(h, 156, 1) || '0';
    const state = { left: size };
    const pad = (BLOCK - (size % BLOCK)) % BLOCK;
    if (type === '0') yield { name, size, body: reader.chunks(state) };
    // Whatever the consumer left unread (or a skipped entry type).
    for await (const _ of reader.chunks(state)) {
      /* skipped */
    }
    if (pad && !(await reader.read(pad))) throw new Error('tar: archive ends inside padding');
  }
}
