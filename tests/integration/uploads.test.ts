/**
 * Files, on a real server of this file's own (MAX_UPLOAD_BYTES = 1 MiB keeps the size tests fast, and its DATA_DIR
 * is known, so "nothing is left on disk" is checked on the disk itself). Every sample file is made here: images
 * with sharp, a PDF, a CFB (DOC), a real DOCX zip, TXT, ZIP, RAR and 7Z signatures.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { buildZip } from '../../lib/zip';
import { connectSocket, createToken, emitAck, registerUser, request, sleep, type ClientSocket, type HttpResult, type TestUser } from '../helpers/api';
import { expectError } from '../helpers/errors';
import { startServer, type RunningServer } from '../helpers/server';

const MAX = 1024 * 1024;

let server: RunningServer;
const url = () => server.url;

interface Person extends TestUser {
  token: string;
}
let ana: Person; // uploads
let ben: Person; // in the conversation with Ana
let cat: Person; // not in it
let conversationId: string;

async function person(prefix: string): Promise<Person> {
  const u = await registerUser(url(), { prefix });
  return { ...u, token: (await createToken(url(), u)).token };
}

beforeAll(async () => {
  server = await startServer({ env: { MAX_UPLOAD_BYTES: String(MAX) } });
  [ana, ben, cat] = await Promise.all([person('upana'), person('upben'), person('upcat')]);
  const res = await request<{ conversation: { id: string } }>(url(), '/api/v1/conversations', {
    method: 'POST',
    token: ana.token,
    body: { kind: 'group', title: 'Files', memberIds: [ben.id] },
  });
  expect(res.status, res.text).toBe(201);
  conversationId = res.body.conversation.id;
});
afterAll(async () => {
  await server?.stop();
});

const open: ClientSocket[] = [];
afterEach(() => {
  for (const s of open.splice(0)) s.close();
});

// ---------------------------------------------------------------------------------------------------------------
// Helpers

interface AttachmentBody {
  id: string;
  name: string;
  size: number;
  mimeType: string;
  url: string;
  thumbnailUrl?: string;
  width?: number | null;
  height?: number | null;
}

/** POST /uploads as a browser's FormData would (with a Content-Length). */
async function upload(who: Person, name: string, data: Buffer, pathname = '/api/v1/uploads', method = 'POST'): Promise<HttpResult<{ attachment: AttachmentBody }>> {
  const form = new FormData();
  form.append('file', new Blob([new Uint8Array(data)]), name);
  const res = await fetch(new URL(pathname, url()), { method, headers: { authorization: `Bearer ${who.token}` }, body: form });
  const text = await res.text();
  let body: unknown = text;
  if ((res.headers.get('content-type') ?? '').includes('json')) body = JSON.parse(text);
  return { status: res.status, headers: res.headers, body: body as { attachment: AttachmentBody }, text, ms: 0 };
}

async function uploadOk(who: Person, name: string, data: Buffer): Promise<AttachmentBody> {
  const res = await upload(who, name, data);
  expect(res.status, res.text).toBe(201);
  return res.body.attachment;
}

/** GET as this person; the raw bytes and headers. */
async function fetchFile(who: Person | null, pathname: string) {
  const res = await fetch(new URL(pathname, url()), { headers: who ? { authorization: `Bearer ${who.token}` } : {} });
  const bytes = Buffer.from(await res.arrayBuffer());
  return { status: res.status, headers: res.headers, bytes, text: bytes.toString('utf8') };
}

/** The error answer of a GET, in the shape expectError checks. */
async function fetchError(who: Person | null, pathname: string): Promise<HttpResult> {
  const r = await fetchFile(who, pathname);
  return { status: r.status, headers: r.headers, body: JSON.parse(r.text || '{}'), text: r.text, ms: 0 };
}

function sendMessage(who: Person, body: string, attachmentIds: string[]) {
  return request<{ message: { id: string; attachments: AttachmentBody[] } }>(url(), `/api/v1/conversations/${conversationId}/messages`, {
    method: 'POST',
    token: who.token,
    body: { body, attachmentIds },
  });
}

/** Every file under DATA_DIR/uploads (relative paths), tmp included. */
function filesOnDisk(): string[] {
  const root = path.join(server.dataDir, 'uploads');
  const out: string[] = [];
  const walk = (dir: string) => {
    if (!existsSync(dir)) return;
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else out.push(path.relative(root, p));
    }
  };
  walk(root);
  return out.sort();
}

const tmpFiles = () => filesOnDisk().filter((f) => f.startsWith(`tmp${path.sep}`));

/** Polls (a background cleanup may still be running) until `check` holds or the time is up. */
async function eventually(check: () => boolean, what: string, timeoutMs = 10_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > until) throw new Error(`${what} did not happen within ${timeoutMs} ms`);
    await sleep(50);
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Sample files

const image = (format: 'jpeg' | 'png' | 'gif' | 'webp', width = 640, height = 400) =>
  sharp({ create: { width, height, channels: 3, background: { r: 200, g: 80, b: 40 } } })
    .composite([{ input: Buffer.from(`<svg width="${width}" height="${height}"><circle cx="${width / 3}" cy="${height / 2}" r="${height / 4}" fill="#2b6"/></svg>`) }])
    [format]()
    .toBuffer();

const pdf = () =>
  Buffer.from(
    '%PDF-1.4\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n2 0 obj\n<< /Type /Pages /Kids [] /Count 0 >>\nendobj\n' +
      'trailer\n<< /Root 1 0 R >>\n%%EOF\n',
  );

/** A Compound File Binary header (what .doc files are), followed by one empty sector. */
function cfb(): Buffer {
  const b = Buffer.alloc(1024);
  Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]).copy(b, 0);
  b.writeUInt16LE(0x003e, 24); // minor version
  b.writeUInt16LE(0x0003, 26); // major version 3
  b.writeUInt16LE(0xfffe, 28); // byte order
  b.writeUInt16LE(9, 30); // sector shift: 512-byte sectors
  b.writeUInt16LE(6, 32); // mini sector shift
  b.writeInt32LE(-2, 48); // first directory sector: end of chain
  return b;
}

function docx(): Buffer {
  const xml = (s: string) => Buffer.from(`<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n${s}`);
  return buildZip([
    {
      name: '[Content_Types].xml',
      data: xml(
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">' +
          '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>' +
          '<Default Extension="xml" ContentType="application/xml"/>' +
          '<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>' +
          '</Types>',
      ),
    },
    {
      name: '_rels/.rels',
      data: xml(
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">' +
          '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/>' +
          '</Relationships>',
      ),
    },
    {
      name: 'word/document.xml',
      data: xml('<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body><w:p><w:r><w:t>Hello</w:t></w:r></w:p></w:body></w:document>'),
    },
  ]);
}

const txt = () => Buffer.from('Shopping list — äöü, 日本語, ✓\nmilk\neggs\n', 'utf8');
const zip = () => buildZip([{ name: 'notes/readme.txt', data: Buffer.from('inside a zip\n') }]);
/** RAR 5 signature, then bytes of an (unreadable, but not checked) archive. */
const rar = () => Buffer.concat([Buffer.from([0x52, 0x61, 0x72, 0x21, 0x1a, 0x07, 0x01, 0x00]), randomBytes(64)]);
const sevenZip = () => Buffer.concat([Buffer.from([0x37, 0x7a, 0xbc, 0xaf, 0x27, 0x1c, 0x00, 0x04]), randomBytes(64)]);
/** A Linux executable's header (ELF, 64-bit, little endian). */
const elf = () => Buffer.concat([Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0x02, 0x01, 0x01, 0x00]), Buffer.alloc(56), randomBytes(64)]);
/** A Windows executable's header (MZ … PE). */
function windowsExe(): Buffer {
  const b = Buffer.alloc(512);
  b.write('MZ', 0, 'latin1');
  b.writeUInt32LE(0x80, 0x3c);
  b.write('PE\0\0', 0x80, 'latin1');
  b.writeUInt16LE(0x14c, 0x84);
  return b;
}

/** A valid small PNG whose header claims `width`×`height` (a "pixel flood": decoding it would need gigabytes). */
async function pixelFlood(width: number, height: number): Promise<Buffer> {
  const png = Buffer.from(await image('png', 8, 8));
  // IHDR is the first chunk: length(4) "IHDR"(4) width(4) height(4) …, its CRC over type + data.
  png.writeUInt32BE(width, 16);
  png.writeUInt32BE(height, 20);
  const { crc32 } = await import('node:zlib');
  png.writeUInt32BE(crc32(png.subarray(12, 29)) >>> 0, 29);
  return png;
}

/** Parses the EXIF block sharp reports and says whether IFD0 points at a GPS IFD with entries. */
function exifHasGps(exif: Buffer): boolean {
  const t = exif.subarray(0, 6).toString('latin1') === 'Exif\0\0' ? exif.subarray(6) : exif;
  const le = t.toString('latin1', 0, 2) === 'II';
  const u16 = (o: number) => (le ? t.readUInt16LE(o) : t.readUInt16BE(o));
  const u32 = (o: number) => (le ? t.readUInt32LE(o) : t.readUInt32BE(o));
  const ifd0 = u32(4);
  for (let i = 0; i < u16(ifd0); i++) {
    const entry = ifd0 + 2 + i * 12;
    if (u16(entry) === 0x8825) return u16(u32(entry + 8)) > 0;
  }
  return false;
}

// ---------------------------------------------------------------------------------------------------------------

describe('allowed types', () => {
  const cases: { label: string; name: string; make: () => Buffer | Promise<Buffer>; mime: string; format?: string }[] = [
    { label: 'JPG', name: 'photo.jpg', make: () => image('jpeg'), mime: 'image/jpeg', format: 'jpeg' },
    { label: 'JPEG', name: 'photo.JPEG', make: () => image('jpeg'), mime: 'image/jpeg', format: 'jpeg' },
    { label: 'PNG', name: 'diagram.png', make: () => image('png'), mime: 'image/png', format: 'png' },
    { label: 'GIF', name: 'funny.gif', make: () => image('gif'), mime: 'image/gif', format: 'gif' },
    { label: 'WebP', name: 'sticker.webp', make: () => image('webp'), mime: 'image/webp', format: 'webp' },
    { label: 'PDF', name: 'report.pdf', make: pdf, mime: 'application/pdf' },
    { label: 'DOC', name: 'letter.doc', make: cfb, mime: 'application/msword' },
    { label: 'DOCX', name: 'letter.docx', make: docx, mime: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document' },
    { label: 'TXT', name: 'list.txt', make: txt, mime: 'text/plain; charset=utf-8' },
    { label: 'ZIP', name: 'bundle.zip', make: zip, mime: 'application/zip' },
    { label: 'RAR', name: 'bundle.rar', make: rar, mime: 'application/vnd.rar' },
    { label: '7Z', name: 'bundle.7z', make: sevenZip, mime: 'application/x-7z-compressed' },
  ];

  it.each(cases)('$label is accepted, stored under a random id, and served back to the uploader', async ({ name, make, mime, format }) => {
    const data = await make();
    const before = filesOnDisk();
    const a = await uploadOk(ana, name, data);
    expect(a).toMatchObject({ name, mimeType: mime, url: `/api/v1/uploads/${a.id}` });
    expect(typeof a.id).toBe('string');

    // On disk: the file (and a thumbnail for images), named by id, never by the user's file name; no temp file.
    const added = filesOnDisk().filter((f) => !before.includes(f));
    expect(added).toHaveLength(format ? 2 : 1);
    for (const f of added) {
      expect(f).toContain(a.id);
      expect(f).not.toContain(path.parse(name).name);
    }
    expect(tmpFiles()).toEqual([]);

    const served = await fetchFile(ana, a.url);
    expect(served.status).toBe(200);
    expect(served.headers.get('content-type')).toBe(mime);
    expect(served.headers.get('x-content-type-options')).toBe('nosniff');
    if (format) {
      // Re-encoded: same kind and size in pixels, with a WebP thumbnail at most 320 px.
      const meta = await sharp(served.bytes).metadata();
      expect(meta.format).toBe(format === 'jpeg' ? 'jpeg' : format);
      expect([meta.width, meta.height]).toEqual([640, 400]);
      expect(a).toMatchObject({ width: 640, height: 400, size: served.bytes.length, thumbnailUrl: `/api/v1/uploads/${a.id}/thumbnail` });
      expect(served.headers.get('content-disposition')).toMatch(/^inline; /);
      const thumb = await fetchFile(ana, a.thumbnailUrl!);
      expect(thumb.status).toBe(200);
      expect(thumb.headers.get('content-type')).toBe('image/webp');
      const t = await sharp(thumb.bytes).metadata();
      expect(t.format).toBe('webp');
      expect([t.width, t.height]).toEqual([320, 200]);
    } else {
      // Everything else is stored byte for byte, and only ever downloaded.
      expect(served.bytes.equals(data)).toBe(true);
      expect(a.size).toBe(data.length);
      expect(a.thumbnailUrl).toBeUndefined();
      expect(served.headers.get('content-disposition')).toBe(`attachment; filename="${name}"; filename*=UTF-8''${encodeURIComponent(name)}`);
      expectError(await fetchError(ana, `${a.url}/thumbnail`), 'not_found');
    }
  });

  it('the stored name is the file name only (no path), and a file of exactly MAX_UPLOAD_BYTES is accepted', async () => {
    const data = Buffer.alloc(MAX, 'a');
    const a = await uploadOk(ana, '../../etc/exactly-max.txt', data);
    expect(a.name).toBe('exactly-max.txt');
    expect(a.size).toBe(MAX);
    expect(filesOnDisk().some((f) => f.includes('exactly-max'))).toBe(false);
  });
});

describe('refused uploads leave nothing behind', () => {
  const cases: { label: string; name: string; make: () => Buffer | Promise<Buffer>; code: 'unsupported_media_type' | 'payload_too_large' | 'bad_request' }[] = [
    { label: 'a Linux executable renamed .pdf', name: 'invoice.pdf', make: elf, code: 'unsupported_media_type' },
    { label: 'a Windows executable renamed .txt', name: 'readme.txt', make: windowsExe, code: 'unsupported_media_type' },
    { label: 'an HTML page called .png', name: 'cat.png', make: () => Buffer.from('<!DOCTYPE html><html><body><script>alert(document.cookie)</script></body></html>'), code: 'unsupported_media_type' },
    { label: 'an SVG called .png', name: 'logo.png', make: () => Buffer.from('<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"></svg>'), code: 'unsupported_media_type' },
    { label: 'a PNG called .pdf', name: 'scan.pdf', make: () => image('png', 32, 32), code: 'unsupported_media_type' },
    { label: 'a PDF called .txt', name: 'notes.txt', make: pdf, code: 'unsupported_media_type' },
    { label: 'a DOCX called .zip', name: 'archive.zip', make: docx, code: 'unsupported_media_type' },
    { label: 'binary text (NUL bytes) called .txt', name: 'data.txt', make: () => Buffer.from('abc\0def'), code: 'unsupported_media_type' },
    { label: 'text that is not UTF-8 called .txt', name: 'latin1.txt', make: () => Buffer.from([0x63, 0x61, 0x66, 0xe9, 0x0a]), code: 'unsupported_media_type' },
    { label: 'a truncated PNG', name: 'broken.png', make: async () => (await image('png', 64, 64)).subarray(0, 60), code: 'unsupported_media_type' },
    { label: 'an empty file', name: 'empty.txt', make: () => Buffer.alloc(0), code: 'bad_request' },
    { label: 'MAX_UPLOAD_BYTES + 1 bytes', name: 'big.txt', make: () => Buffer.alloc(MAX + 1, 'a'), code: 'payload_too_large' },
    { label: 'a pixel flood (a small PNG declaring 20000×20000)', name: 'flood.png', make: () => pixelFlood(20_000, 20_000), code: 'payload_too_large' },
  ];

  it.each(cases)('$label → $code', async ({ name, make, code }) => {
    const data = await make();
    const before = filesOnDisk();
    const res = await upload(ana, name, data);
    expectError(res, code);
    expect(filesOnDisk()).toEqual(before);
    expect(tmpFiles()).toEqual([]);
  });

  it('the pixel-flood check also guards avatars', async () => {
    const before = filesOnDisk();
    expectError(await upload(ana, 'flood.png', await pixelFlood(20_000, 20_000), '/api/v1/me/avatar', 'PUT'), 'payload_too_large');
    expect(filesOnDisk()).toEqual(before);
  });

  it('not multipart, or no "file" field → 415 / 400', async () => {
    expectError(await request(url(), '/api/v1/uploads', { method: 'POST', token: ana.token, body: { file: 'x' } }), 'unsupported_media_type');
    const form = new FormData();
    form.append('other', new Blob([new Uint8Array(txt())]), 'a.txt');
    const res = await fetch(new URL('/api/v1/uploads', url()), { method: 'POST', headers: { authorization: `Bearer ${ana.token}` }, body: form });
    expect(res.status).toBe(400);
    expect(tmpFiles()).toEqual([]);
    expectError(await upload({ ...ana, token: 'not-a-token' }, 'a.txt', txt()), 'unauthorized');
  });

  /**
   * Raw HTTP with no Content-Length (chunked), as a client that does not say how much it will send: the server
   * must count while streaming and answer 413 once past the limit, long before the (64 MiB) body would end.
   */
  it('a chunked upload with no Content-Length is cut off while streaming: 413 early, no partial file', async () => {
    const boundary = `----chattrix${randomBytes(8).toString('hex')}`;
    const head = Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="endless.txt"\r\nContent-Type: text/plain\r\n\r\n`);
    const chunk = Buffer.alloc(64 * 1024, 'a');
    const total = 64 * 1024 * 1024;
    const before = filesOnDisk();
    const result = await new Promise<{ status: number; body: string; sentWhenAnswered: number; reset?: boolean }>((resolve, reject) => {
      let sent = 0;
      let answered = -1;
      let status = 0;
      let body = '';
      let settled = false;
      const settle = (reset: boolean) => {
        if (settled) return;
        settled = true;
        if (answered < 0) answered = sent;
        resolve({ status, body, sentWhenAnswered: answered, reset: reset || undefined });
        req.destroy();
      };
      const req = httpRequest(new URL('/api/v1/uploads', url()), {
        method: 'POST',
        headers: { authorization: `Bearer ${ana.token}`, 'content-type': `multipart/form-data; boundary=${boundary}`, 'transfer-encoding': 'chunked' },
      });
      req.on('response', (res) => {
        answered = sent;
        status = res.statusCode ?? 0;
        res.setEncoding('utf8');
        res.on('data', (d: string) => (body += d));
        res.on('end', () => settle(false));
        // The server may close the connection before the whole answer is read (it cuts the upload off): the status
        // came, so that is what counts.
        res.on('close', () => settle(!res.complete));
      });
      req.on('error', (e: NodeJS.ErrnoException) => {
        // The server may close the connection right after its 413, before this side has read it (a write then fails
        // with EPIPE or ECONNRESET): cut off all the same, and as early.
        if (e.code === 'EPIPE' || e.code === 'ECONNRESET' || answered >= 0) settle(true);
        else if (!settled) {
          settled = true;
          reject(e);
        }
      });
      // A connection closed with no error and no answer (a write waiting for 'drain' never gets one).
      req.on('close', () => settle(true));
      const pump = () => {
        while (answered < 0 && sent < total) {
          sent += chunk.length;
          if (!req.write(chunk)) {
            req.once('drain', pump);
            return;
          }
        }
        if (answered < 0 && sent >= total) req.end(`\r\n--${boundary}--\r\n`);
      };
      req.write(head);
      pump();
    });
    if (result.status !== 0) expect(result.status, result.body).toBe(413);
    if (!result.reset) expect(JSON.parse(result.body)).toMatchObject({ error: { code: 'payload_too_large' } });
    // Answered (or cut) long before the body ended: the server did not read (or buffer) it all first.
    expect(result.sentWhenAnswered).toBeLessThan(total / 2);
    await eventually(() => tmpFiles().length === 0, 'removing the partial temp file');
    expect(filesOnDisk()).toEqual(before);
    // The server is fine afterwards.
    await uploadOk(ana, 'after.txt', txt());
  });

  /**
   * A client that says how much it sends (fetch does) and sends slowly: the server reads the refused body to its end
   * before answering, so the client reads a 413 rather than a reset connection (which fetch reports as "fetch
   * failed"). Both the early refusal (a declared length past the limit) and the one found while streaming.
   */
  for (const [label, fileBytes] of [['declared past the limit', MAX + MAX / 2], ['one byte past the limit, found while streaming', MAX + 1]] as const) {
    it(`a slow upload ${label} gets its 413, not a reset connection`, async () => {
      const boundary = `----chattrix${randomBytes(8).toString('hex')}`;
      const head = Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="slow.txt"\r\nContent-Type: text/plain\r\n\r\n`);
      const tail = Buffer.from(`\r\n--${boundary}--\r\n`);
      const body = Buffer.concat([head, Buffer.alloc(fileBytes, 'a'), tail]);
      const before = filesOnDisk();
      let at = 0;
      const result = await new Promise<{ status: number; body: string; sentWhenAnswered: number }>((resolve, reject) => {
        const req = httpRequest(new URL('/api/v1/uploads', url()), {
          method: 'POST',
          headers: { authorization: `Bearer ${ana.token}`, 'content-type': `multipart/form-data; boundary=${boundary}`, 'content-length': String(body.length) },
        });
        req.on('response', (res) => {
          const sentWhenAnswered = at;
          let text = '';
          res.setEncoding('utf8');
          res.on('data', (d: string) => (text += d));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text, sentWhenAnswered }));
        });
        req.on('error', reject);
        // 64 KiB every 5 ms: still sending well after the server knows the answer.
        const step = () => {
          const next = Math.min(at + 64 * 1024, body.length);
          req.write(body.subarray(at, next));
          at = next;
          if (at < body.length) setTimeout(step, 5);
          else req.end();
        };
        step();
      });
      expect(result.status, result.body).toBe(413);
      expect(JSON.parse(result.body)).toMatchObject({ error: { code: 'payload_too_large', message: 'Files can be at most 1 MB' } });
      // Answered once the whole body was in: the connection was never closed under a client still sending.
      expect(result.sentWhenAnswered).toBe(body.length);
      await eventually(() => tmpFiles().length === 0, 'removing the partial temp file');
      expect(filesOnDisk()).toEqual(before);
    });
  }

  it('an upload the client abandons halfway (the Cancel button) leaves no temp file', async () => {
    const boundary = `----chattrix${randomBytes(8).toString('hex')}`;
    const head = Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="cancelled.txt"\r\nContent-Type: text/plain\r\n\r\n`);
    const req = httpRequest(new URL('/api/v1/uploads', url()), {
      method: 'POST',
      headers: { authorization: `Bearer ${ana.token}`, 'content-type': `multipart/form-data; boundary=${boundary}`, 'content-length': String(head.length + MAX / 2 + 100) },
    });
    req.on('error', () => {});
    req.write(head);
    req.write(Buffer.alloc(MAX / 4, 'a'));
    // Wait until the server has started writing the temp file, then vanish.
    await eventually(() => tmpFiles().length === 1, 'the temp file appearing');
    req.destroy();
    await eventually(() => tmpFiles().length === 0, 'removing the abandoned temp file');
  });
});

describe('who may fetch a file', () => {
  it('only the uploader before it is sent; then members (nosniff, inline image / attachment PDF); never a non-member', async () => {
    const img = await uploadOk(ana, 'holiday.png', await image('png'));
    const doc = await uploadOk(ana, 'plan.pdf', pdf());

    // Not sent yet: Ben (not the uploader) gets 404 like anyone else.
    expectError(await fetchError(ben, img.url), 'not_found');
    expectError(await fetchError(ben, doc.url), 'not_found');

    const sent = await sendMessage(ana, 'holiday plans', [img.id, doc.id]);
    expect(sent.status, sent.text).toBe(201);
    expect(sent.body.message.attachments.map((a) => a.id).sort()).toEqual([img.id, doc.id].sort());

    for (const who of [ana, ben]) {
      const f = await fetchFile(who, img.url);
      expect(f.status).toBe(200);
      expect(f.headers.get('content-type')).toBe('image/png');
      expect(f.headers.get('x-content-type-options')).toBe('nosniff');
      expect(f.headers.get('content-disposition')).toMatch(/^inline; filename="holiday\.png"/);
      const t = await fetchFile(who, img.thumbnailUrl!);
      expect(t.status).toBe(200);
      expect(t.headers.get('content-type')).toBe('image/webp');
      expect(t.headers.get('x-content-type-options')).toBe('nosniff');
      const d = await fetchFile(who, doc.url);
      expect(d.status).toBe(200);
      expect(d.headers.get('content-type')).toBe('application/pdf');
      expect(d.headers.get('x-content-type-options')).toBe('nosniff');
      expect(d.headers.get('content-disposition')).toMatch(/^attachment; filename="plan\.pdf"/);
      expect(d.bytes.equals(pdf())).toBe(true);
    }

    // Cat is not a member: 404 for the file and its thumbnail, the same as for an id that does not exist.
    for (const p of [img.url, img.thumbnailUrl!, doc.url]) expectError(await fetchError(cat, p), 'not_found');
    expectError(await fetchError(cat, '/api/v1/uploads/0000000000zzzzzzzzzzzzzzzz'), 'not_found');
    // Signed out: 401.
    expectError(await fetchError(null, img.url), 'unauthorized');
  });

  it('EXIF (GPS included) is gone from a served JPEG, and its orientation is applied', async () => {
    const original = await sharp({ create: { width: 64, height: 48, channels: 3, background: '#c33' } })
      .jpeg()
      .withMetadata({ orientation: 6 })
      .withExifMerge({
        IFD0: { Make: 'SpyCam', Model: 'Tracker 3000' },
        IFD3: { GPSLatitudeRef: 'N', GPSLatitude: '48/1 51/1 2982/100', GPSLongitudeRef: 'E', GPSLongitude: '2/1 21/1 792/100' },
      })
      .toBuffer();
    // The sample really carries what must go.
    const inMeta = await sharp(original).metadata();
    expect(inMeta.exif && exifHasGps(inMeta.exif)).toBe(true);
    expect(inMeta.orientation).toBe(6);
    expect(original.includes(Buffer.from('SpyCam'))).toBe(true);

    const a = await uploadOk(ana, 'where-i-live.jpg', original);
    for (const p of [a.url, a.thumbnailUrl!]) {
      const served = await fetchFile(ana, p);
      expect(served.status).toBe(200);
      const meta = await sharp(served.bytes).metadata();
      expect(meta.exif, `${p} has EXIF`).toBeUndefined();
      expect(meta.xmp).toBeUndefined();
      expect(meta.iptc).toBeUndefined();
      expect(served.bytes.includes(Buffer.from('SpyCam'))).toBe(false);
      expect(served.bytes.includes(Buffer.from('Tracker 3000'))).toBe(false);
      // Orientation 6 (rotate 90°): the served image is upright, so 48×64, with no orientation tag left.
      expect([meta.width, meta.height]).toEqual([48, 64]);
      expect(meta.orientation ?? 1).toBe(1);
    }
    expect([a.width, a.height]).toEqual([48, 64]);
  });
});

describe('attachments on messages', () => {
  it("someone else's upload, an already used one, or an unknown id → 400 (REST and socket)", async () => {
    const mine = await uploadOk(ana, 'mine.txt', txt());
    // Ben may not attach Ana's upload.
    const stolen = await sendMessage(ben, 'look what I found', [mine.id]);
    expectError(stolen, 'bad_request', { issues: true });
    expect((stolen.body as unknown as { error: { issues: { path: string[] }[] } }).error.issues[0]!.path).toEqual(['attachmentIds']);
    expectError(await sendMessage(ana, 'ghost', ['0000000000zzzzzzzzzzzzzzzz']), 'bad_request');
    // Ana attaches it once; a second time is refused.
    expect((await sendMessage(ana, 'first', [mine.id])).status).toBe(201);
    expectError(await sendMessage(ana, 'again', [mine.id]), 'bad_request');

    const socket = await connectSocket(url(), { token: ana.token });
    open.push(socket);
    const ack = await emitAck(socket, 'message:send', { conversationId, body: 'again by socket', clientId: `c-${randomBytes(8).toString('hex')}`, attachmentIds: [mine.id] });
    expect(ack).toMatchObject({ ok: false, error: { code: 'bad_request' } });
    // The socket path attaches a fresh upload fine, with an empty caption.
    const fresh = await uploadOk(ana, 'fresh.zip', zip());
    const ok = await emitAck(socket, 'message:send', { conversationId, body: '', clientId: `c-${randomBytes(8).toString('hex')}`, attachmentIds: [fresh.id] });
    expect(ok).toMatchObject({ ok: true, data: { message: { body: '', attachments: [{ id: fresh.id, name: 'fresh.zip' }] } } });
    expect((await fetchFile(ben, fresh.url)).status).toBe(200);
  });

  it('deleting the message deletes its files: 404 afterwards, gone from disk', async () => {
    const before = filesOnDisk();
    const img = await uploadOk(ana, 'to-delete.webp', await image('webp'));
    const doc = await uploadOk(ana, 'to-delete.docx', docx());
    const added = filesOnDisk().filter((f) => !before.includes(f));
    expect(added).toHaveLength(3); // image, its thumbnail, the docx
    const sent = await sendMessage(ana, 'short-lived', [img.id, doc.id]);
    expect(sent.status, sent.text).toBe(201);
    expect((await fetchFile(ben, img.url)).status).toBe(200);

    const del = await request(url(), `/api/v1/messages/${sent.body.message.id}`, { method: 'DELETE', token: ana.token });
    expect(del.status, del.text).toBe(204);
    for (const who of [ana, ben]) for (const p of [img.url, img.thumbnailUrl!, doc.url]) expectError(await fetchError(who, p), 'not_found');
    expect(filesOnDisk()).toEqual(before);
  });
});

describe('avatars', () => {
  it('an image becomes a 256 px WebP avatar served to signed-in users; the old file is removed; a PDF is refused', async () => {
    const who = await person('upava');
    const before = filesOnDisk();
    const res = await upload(who, 'me.png', await image('png', 600, 400), '/api/v1/me/avatar', 'PUT');
    expect(res.status, res.text).toBe(200);
    const avatarUrl = (res.body as unknown as { user: { id: string; avatarUrl: string } }).user.avatarUrl;
    expect(avatarUrl).toMatch(new RegExp(`^/api/v1/users/${who.id}/avatar`));
    const added = filesOnDisk().filter((f) => !before.includes(f));
    expect(added).toHaveLength(1);

    const served = await fetchFile(ben, avatarUrl);
    expect(served.status).toBe(200);
    expect(served.headers.get('content-type')).toBe('image/webp');
    expect(served.headers.get('x-content-type-options')).toBe('nosniff');
    const meta = await sharp(served.bytes).metadata();
    expect([meta.format, meta.width, meta.height]).toEqual(['webp', 256, 256]);
    expectError(await fetchError(null, avatarUrl), 'unauthorized');

    // A PDF is not an avatar; nothing changes.
    expectError(await upload(who, 'me.pdf', pdf(), '/api/v1/me/avatar', 'PUT'), 'unsupported_media_type');
    expect(filesOnDisk().filter((f) => !before.includes(f))).toEqual(added);
    // An HTML file called .jpg neither.
    expectError(await upload(who, 'me.jpg', Buffer.from('<html><body>hi</body></html>'), '/api/v1/me/avatar', 'PUT'), 'unsupported_media_type');

    // A new avatar replaces the file.
    const again = await upload(who, 'me2.jpg', await image('jpeg'), '/api/v1/me/avatar', 'PUT');
    expect(again.status, again.text).toBe(200);
    const now = filesOnDisk().filter((f) => !before.includes(f));
    expect(now).toHaveLength(1);
    expect(now).not.toEqual(added);
    expect(tmpFiles()).toEqual([]);
  });
});

describe('file names', () => {
  it('a name cut to 200 characters keeps the extension that was checked; served as that type', async () => {
    const long = 'A'.repeat(195) + '.html.txt';
    const a = await uploadOk(ana, long, Buffer.from('<script>alert(1)</script> plain text, really\n'));
    expect([...a.name].length).toBeLessThanOrEqual(200);
    expect(a.name.endsWith('.txt')).toBe(true);
    expect(a.name).not.toMatch(/\.html$/);
    expect(a.mimeType).toBe('text/plain; charset=utf-8');
    const sent = await sendMessage(ana, 'long name', [a.id]);
    expect(sent.status, sent.text).toBe(201);
    const served = await fetchFile(ben, a.url);
    expect(served.status).toBe(200);
    expect(served.headers.get('content-type')).toMatch(/^text\/plain/);
    expect(served.headers.get('content-disposition')).not.toMatch(/\.html["']/);
    expect(decodeURIComponent(/filename\*=UTF-8''([^;]+)/.exec(served.headers.get('content-disposition') ?? '')![1]!)).toBe(a.name);
  });

  it('UTF-8 names arrive intact (no mojibake), also past 200 characters (cut on whole characters)', async () => {
    const name = 'résumé_日本.txt';
    const a = await uploadOk(ana, name, Buffer.from('bonjour\n'));
    expect(a.name).toBe(name);
    const emoji = '😀'.repeat(250) + '.txt';
    const b = await uploadOk(ana, emoji, Buffer.from('smile\n'));
    expect([...b.name]).toHaveLength(200);
    expect(b.name).toBe('😀'.repeat(196) + '.txt');
    expect(b.name).not.toContain('\ufffd');
  });

  it('bidi controls do not survive in a name', async () => {
    const a = await uploadOk(ana, 'invoice\u202etxt.exe.txt', Buffer.from('hello\n'));
    expect(a.name).not.toMatch(/[\u202a-\u202e\u2066-\u2069\u200e\u200f]/);
    expect(a.name.endsWith('.txt')).toBe(true);
  });
});

describe('DATA_DIR is private', () => {
  it('is 0700 and nothing in it (database, uploads, secrets) is readable by group or others', async () => {
    // Something in every corner: an upload exists (beforeAll and the tests above), the database has been written.
    const root = server.dataDir;
    expect(statSync(root).mode & 0o777).toBe(0o700);
    const loose: string[] = [];
    let files = 0;
    const walk = (dir: string) => {
      for (const name of readdirSync(dir)) {
        const p = path.join(dir, name);
        const st = statSync(p);
        if (st.mode & 0o077) loose.push(`${path.relative(root, p)} ${(st.mode & 0o777).toString(8)}`);
        if (st.isDirectory()) walk(p);
        else files++;
      }
    };
    walk(root);
    expect(files).toBeGreaterThan(20); // the embedded database's files are among them
    expect(loose).toEqual([]);
  });
});
