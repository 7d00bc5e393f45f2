import { randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, rm } from 'node:fs/promises';
import path from 'node:path';
import { Readable } from 'node:stream';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import Busboy from 'busboy';
import { env } from '../env';
import { AppError } from '../errors';

export interface ReceivedFile {
  /** A temporary file; the caller moves it into storage or removes it. */
  tmpPath: string;
  filename: string;
  declaredType: string;
  size: number;
  fields: Record<string, string>;
}

const MULTIPART_OVERHEAD = 64 * 1024;
/** A refused body of a declared length at most this far past the limit is read to its end (and thrown away) before
 * the refusal is sent, so that a client still sending it reads the 413 instead of a reset connection (the server
 * closing mid-upload is a network error to fetch). Longer or chunked bodies are cut off at once. */
const LINGER_BYTES = 8 * 1024 * 1024;
const LINGER_MS = 15_000;

/** Reads what is left of `source` and throws it away: until it ends, `maxBytes` more have come, or `LINGER_MS`. */
function discardRest(source: Readable, maxBytes: number): Promise<void> {
  return new Promise((resolve) => {
    let seen = 0;
    const done = () => {
      clearTimeout(timer);
      source.off('data', onData);
      if (!source.readableEnded) source.destroy();
      resolve();
    };
    const onData = (chunk: Buffer) => {
      seen += chunk.length;
      if (seen > maxBytes) done();
    };
    const timer = setTimeout(done, LINGER_MS);
    source.on('data', onData);
    source.once('end', done);
    source.once('error', done);
    source.once('close', done);
    source.resume();
  });
}

/**
 * Streams the single `file` part of a multipart request to a temporary file, counting bytes as they come: past
 * `maxBytes` the upload is cut off with 413 and the partial file removed. Nothing is buffered whole in memory.
 */
export async function receiveFile(req: Request, maxBytes = env.MAX_UPLOAD_BYTES): Promise<ReceivedFile> {
  const type = req.headers.get('content-type') ?? '';
  if (!/^multipart\/form-data\b/i.test(type)) throw new AppError('unsupported_media_type', 'Send the file as multipart/form-data in a field named "file"');
  const declared = Number(req.headers.get('content-length') ?? '0');
  const tooLarge = () => new AppError('payload_too_large', `Files can be at most ${Math.floor(maxBytes / 1048576)} MB`);
  if (declared > maxBytes + MULTIPART_OVERHEAD) {
    if (req.body && declared <= maxBytes + MULTIPART_OVERHEAD + LINGER_BYTES) {
      await discardRest(Readable.fromWeb(req.body as unknown as WebReadableStream), LINGER_BYTES + MULTIPART_OVERHEAD);
    }
    throw tooLarge();
  }
  if (!req.body) throw new AppError('bad_request', 'No file was sent');

  const tmpDir = path.resolve(env.DATA_DIR, 'uploads', 'tmp');
  await mkdir(tmpDir, { recursive: true });
  const tmpPath = path.join(tmpDir, `${Date.now()}-${randomBytes(8).toString('hex')}`);

  return new Promise<ReceivedFile>((resolve, reject) => {
    let busboy: Busboy.Busboy;
    try {
      // busboy reports `limit` once a file REACHES fileSize, so a file of exactly maxBytes would be refused: the
      // limit is one byte more, and `limit` then means "larger than maxBytes".
      // defParamCharset: a UTF-8 `filename="résumé.txt"` arrives intact (busboy reads it as latin1 by default).
      busboy = Busboy({ headers: { 'content-type': type }, defParamCharset: 'utf8', limits: { files: 1, fileSize: maxBytes + 1, fields: 10, fieldSize: 8 * 1024, parts: 20 } });
    } catch {
      reject(new AppError('bad_request', 'Malformed multipart body'));
      return;
    }
    const fields: Record<string, string> = {};
    let settled = false;
    let gotFile = false;
    let writing: Promise<ReceivedFile> | undefined;
    const source = Readable.fromWeb(req.body as unknown as WebReadableStream);
    const fail = (e: AppError) => {
      if (settled) return;
      settled = true;
      source.unpipe(busboy);
      // A declared length passed the check above, so what is left is at most the multipart overhead: read it, so
      // the client gets the answer. A chunked body could go on for ever: cut off.
      const drained = declared > 0 && !source.destroyed ? discardRest(source, MULTIPART_OVERHEAD) : (source.destroy(), Promise.resolve());
      void Promise.all([drained, rm(tmpPath, { force: true })]).finally(() => reject(e));
    };

    busboy.on('field', (name, value) => {
      fields[name] = value;
    });
    busboy.on('file', (name, stream, info) => {
      if (name !== 'file' || gotFile) {
        stream.resume();
        return;
      }
      gotFile = true;
      let size = 0;
      const out = createWriteStream(tmpPath, { flags: 'wx', mode: 0o600 });
      stream.on('data', (chunk: Buffer) => {
        size += chunk.length;
      });
      stream.on('limit', () => {
        out.destroy();
        fail(tooLarge());
      });
      writing = new Promise((res, rej) => {
        out.on('finish', () =>
          res({ tmpPath, filename: info.filename ?? 'file', declaredType: info.mimeType ?? 'application/octet-stream', size, fields }),
        );
        out.on('error', rej);
      });
      stream.pipe(out);
    });
    busboy.on('error', () => fail(new AppError('bad_request', 'Malformed multipart body')));
    busboy.on('close', () => {
      if (settled) return;
      if (!gotFile || !writing) return fail(new AppError('bad_request', 'No file was sent: use a field named "file"'));
      writing.then(
        (f) => {
          if (settled) return;
          settled = true;
          resolve({ ...f, fields });
        },
        () => fail(new AppError('internal', 'Could not store the upload')),
      );
    });
    source.on('error', () => fail(new AppError('bad_request', 'The upload was interrupted')));
    source.pipe(busboy);
  });
}
