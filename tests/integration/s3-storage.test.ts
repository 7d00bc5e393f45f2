/**
 * Files on S3-compatible object storage (STORAGE_URL=s3://…), against a real local S3 server: Python's moto
 * (`moto_server`), started here on a free loopback port and stopped after. Uploads stream into the bucket (a file
 * larger than one 8 MiB part goes up as a multipart upload), downloads stream out of it byte-identical, thumbnails
 * too, the same membership checks hold, and deleting the message deletes the objects.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, readdirSync } from 'node:fs';
import { createServer } from 'node:net';
import path from 'node:path';
import { CreateBucketCommand, GetObjectCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createToken, registerUser, request } from '../helpers/api';
import { startServer, type RunningServer } from '../helpers/server';

const MOTO = process.env.MOTO_SERVER ?? (existsSync('/root/.pyenv/shims/moto_server') ? '/root/.pyenv/shims/moto_server' : 'moto_server');
/** Skipped (and said so) only where no moto_server is installed; these machines have it. */
const motoAvailable = existsSync(MOTO) || spawnSync('sh', ['-c', `command -v ${MOTO}`]).status === 0;
const BUCKET = `chattrix-${randomBytes(4).toString('hex')}`;
const creds = { AWS_ACCESS_KEY_ID: 'testing', AWS_SECRET_ACCESS_KEY: 'testing' };

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

let moto: ChildProcess | undefined;
let endpoint: string;
let s3: S3Client;
let server: RunningServer;

beforeAll(async () => {
  if (!motoAvailable) return;
  const port = await freePort();
  endpoint = `http://127.0.0.1:${port}`;
  moto = spawn(MOTO, ['-H', '127.0.0.1', '-p', String(port)], { stdio: 'ignore' });
  const deadline = Date.now() + 90_000;
  for (;;) {
    const ok = await fetch(`${endpoint}/`).then(() => true, () => false);
    if (ok) break;
    if (moto.exitCode !== null) throw new Error(`moto_server exited with ${moto.exitCode}`);
    if (Date.now() > deadline) throw new Error('moto_server did not start');
    await new Promise((r) => setTimeout(r, 250));
  }
  s3 = new S3Client({ endpoint, region: 'us-east-1', forcePathStyle: true, credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' } });
  await s3.send(new CreateBucketCommand({ Bucket: BUCKET }));
  server = await startServer({
    env: { ...creds, STORAGE_URL: `s3://${BUCKET}/files?endpoint=${encodeURIComponent(endpoint)}&region=us-east-1&forcePathStyle=true` },
  });
}, 150_000);

afterAll(async () => {
  await server?.stop();
  s3?.destroy();
  if (moto && moto.exitCode === null) {
    moto.kill('SIGTERM');
    await new Promise((r) => moto!.once('exit', r));
  }
});

async function objects(): Promise<Map<string, number>> {
  const res = await s3.send(new ListObjectsV2Command({ Bucket: BUCKET }));
  return new Map((res.Contents ?? []).map((o) => [o.Key!, Number(o.Size)]));
}

async function objectBytes(key: string): Promise<Buffer> {
  const res = await s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: key }));
  return Buffer.from(await res.Body!.transformToByteArray());
}

async function upload(token: string, name: string, data: Buffer) {
  const form = new FormData();
  form.append('file', new Blob([new Uint8Array(data)]), name);
  const res = await fetch(new URL('/api/v1/uploads', server.url), { method: 'POST', headers: { authorization: `Bearer ${token}` }, body: form });
  return { status: res.status, body: (await res.json()) as any };
}

async function download(token: string, pathname: string) {
  const res = await fetch(new URL(pathname, server.url), { headers: { authorization: `Bearer ${token}` } });
  return { status: res.status, bytes: Buffer.from(await res.arrayBuffer()), type: res.headers.get('content-type') };
}

describe.skipIf(!motoAvailable)('STORAGE_URL=s3://… (moto)', () => {
  it('stores uploads in the bucket, serves them byte-identical with the same checks, and deletes them with the message', async () => {
    const ana = await registerUser(server.url, { prefix: 's3ana' });
    const ben = await registerUser(server.url, { prefix: 's3ben' });
    const eve = await registerUser(server.url, { prefix: 's3eve' });
    const [anaToken, benToken, eveToken] = [(await createToken(server.url, ana)).token, (await createToken(server.url, ben)).token, (await createToken(server.url, eve)).token];
    const dm = await request(server.url, '/api/v1/conversations', { method: 'POST', token: anaToken, body: { kind: 'direct', userId: ben.id } });
    const conversationId = dm.body.conversation.id as string;

    const before = await objects();
    const png = await sharp({ create: { width: 800, height: 600, channels: 3, background: { r: 10, g: 120, b: 200 } } })
      .composite([{ input: randomBytes(64 * 64 * 3), raw: { width: 64, height: 64, channels: 3 }, left: 100, top: 100 }])
      .png()
      .toBuffer();
    const big = Buffer.from(randomBytes(4.6 * 1024 * 1024).toString('hex')); // 9.2 MB of text: two multipart parts
    const image = await upload(anaToken, 'photo.png', png);
    const text = await upload(anaToken, 'big.txt', big);
    expect(image.status, JSON.stringify(image.body)).toBe(201);
    expect(text.status, JSON.stringify(text.body)).toBe(201);
    expect(image.body.attachment.thumbnailUrl).toBeTruthy();

    // In the bucket under the prefix, nowhere on the local disk.
    const after = await objects();
    const added = [...after.keys()].filter((k) => !before.has(k));
    expect(added.length).toBe(3); // the image, its thumbnail, the text file
    for (const k of added) expect(k.startsWith('files/')).toBe(true);
    expect(after.get(added.find((k) => after.get(k) === big.length)!)).toBe(big.length);
    const localUploads = path.join(server.dataDir, 'uploads');
    const localFiles = existsSync(localUploads) ? readdirSync(localUploads, { recursive: true }).filter((f) => /\.|^[a-z0-9]{10,}/.test(String(f))) : [];
    expect(localFiles.filter((f) => !String(f).startsWith('tmp'))).toEqual([]);

    // The uploader may fetch before sending; nobody else may.
    const mine = await download(anaToken, text.body.attachment.url);
    expect(mine.status).toBe(200);
    expect(mine.bytes.equals(big)).toBe(true);
    expect((await download(benToken, text.body.attachment.url)).status).toBe(404);

    const sent = await request(server.url, `/api/v1/conversations/${conversationId}/messages`, {
      method: 'POST',
      token: anaToken,
      body: { body: 'files in s3', attachmentIds: [image.body.attachment.id, text.body.attachment.id] },
    });
    expect(sent.status, JSON.stringify(sent.body)).toBe(201);

    // Ben (a member) gets identical bytes: the text as uploaded, the image and thumbnail as stored in the bucket.
    const benText = await download(benToken, text.body.attachment.url);
    expect(benText.bytes.equals(big)).toBe(true);
    const benImage = await download(benToken, image.body.attachment.url);
    const benThumb = await download(benToken, image.body.attachment.thumbnailUrl);
    expect(benThumb.type).toBe('image/webp');
    const stored = await Promise.all(added.map(async (k) => ({ k, b: await objectBytes(k) })));
    expect(stored.some(({ b }) => b.equals(benImage.bytes))).toBe(true);
    expect(stored.some(({ b }) => b.equals(benThumb.bytes))).toBe(true);
    expect((await sharp(benThumb.bytes).metadata()).width).toBeLessThanOrEqual(320);
    // Eve is in no conversation that holds them.
    expect((await download(eveToken, image.body.attachment.url)).status).toBe(404);
    expect((await download(eveToken, image.body.attachment.thumbnailUrl)).status).toBe(404);

    // Deleting the message deletes its objects.
    const del = await request(server.url, `/api/v1/messages/${sent.body.message.id}`, { method: 'DELETE', token: anaToken });
    expect(del.status).toBe(204);
    const left = await objects();
    for (const k of added) expect(left.has(k), k).toBe(false);
    expect((await download(anaToken, text.body.attachment.url)).status).toBe(404);
  }, 180_000);

  it('an object missing from the bucket answers 404, not 500', async () => {
    const ana = await registerUser(server.url, { prefix: 's3miss' });
    const token = (await createToken(server.url, ana)).token;
    const up = await upload(token, 'a.txt', Buffer.from('to be lost\n'));
    expect(up.status).toBe(201);
    const { DeleteObjectCommand } = await import('@aws-sdk/client-s3');
    const keys = [...(await objects()).keys()];
    for (const k of keys) await s3.send(new DeleteObjectCommand({ Bucket: BUCKET, Key: k }));
    const res = await download(token, up.body.attachment.url);
    expect(res.status).toBe(404);
  }, 180_000);
});
