import type { Readable } from 'node:stream';
import {
  DeleteObjectCommand,
  GetObjectCommand,
  ListObjectsV2Command,
  NoSuchKey,
  PutObjectCommand,
  S3Client,
  type S3ClientConfig,
} from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { env } from '../env';
import type { Storage } from './index';

/**
 * Files in S3-compatible object storage (AWS S3, MinIO, Ceph, Garage, R2, moto …).
 *
 *   STORAGE_URL=s3://BUCKET[/PREFIX]?endpoint=http://127.0.0.1:9000&region=us-east-1&forcePathStyle=true
 *
 * `endpoint` (omit for AWS), `region` (default us-east-1), `forcePathStyle` (true for most self-hosted stores).
 * Credentials: AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY (else the SDK's default chain: profile, instance role …).
 */
export interface S3Location {
  bucket: string;
  prefix: string;
  config: S3ClientConfig;
}

export function parseS3Url(url: string): S3Location {
  const u = new URL(url);
  if (u.protocol !== 's3:' || !u.hostname) throw new Error('STORAGE_URL must look like s3://bucket[/prefix]?endpoint=…&region=…');
  let prefix = decodeURIComponent(u.pathname.replace(/^\/+/, ''));
  if (prefix && !prefix.endsWith('/')) prefix += '/';
  const q = u.searchParams;
  const config: S3ClientConfig = {
    region: q.get('region') ?? 'us-east-1',
    forcePathStyle: q.get('forcePathStyle') === 'true' || q.get('forcePathStyle') === '1',
    // Only the checksums every S3-compatible store understands.
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
  };
  const endpoint = q.get('endpoint');
  if (endpoint) config.endpoint = endpoint;
  if (env.AWS_ACCESS_KEY_ID && env.AWS_SECRET_ACCESS_KEY) {
    config.credentials = { accessKeyId: env.AWS_ACCESS_KEY_ID, secretAccessKey: env.AWS_SECRET_ACCESS_KEY };
  }
  return { bucket: u.hostname, prefix, config };
}

const KEY_RE = /^[a-z0-9][a-z0-9._-]{5,127}$/;

export class S3Storage implements Storage {
  readonly client: S3Client;
  constructor(private loc: S3Location) {
    this.client = new S3Client(loc.config);
  }

  private objectKey(key: string): string {
    if (!KEY_RE.test(key)) throw new Error(`invalid storage key: ${key}`);
    return this.loc.prefix + key;
  }

  async write(key: string, data: Readable | Buffer): Promise<void> {
    const Key = this.objectKey(key);
    if (Buffer.isBuffer(data)) {
      await this.client.send(new PutObjectCommand({ Bucket: this.loc.bucket, Key, Body: data, ContentLength: data.length }));
      return;
    }
    // Streamed in 8 MiB parts (a multipart upload only when the file is larger than one part).
    const upload = new Upload({ client: this.client, params: { Bucket: this.loc.bucket, Key, Body: data }, partSize: 8 * 1024 * 1024, queueSize: 2, leavePartsOnError: false });
    try {
      await upload.done();
    } catch (e) {
      data.destroy();
      throw e;
    }
  }

  async read(key: string): Promise<{ stream: Readable; size: number } | null> {
    try {
      const res = await this.client.send(new GetObjectCommand({ Bucket: this.loc.bucket, Key: this.objectKey(key) }));
      if (!res.Body) return null;
      return { stream: res.Body as Readable, size: Number(res.ContentLength ?? 0) };
    } catch (e) {
      if (e instanceof NoSuchKey || (e as { name?: string }).name === 'NoSuchKey' || (e as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode === 404) {
        return null;
      }
      throw e;
    }
  }

  async remove(key: string): Promise<void> {
    await this.client.send(new DeleteObjectCommand({ Bucket: this.loc.bucket, Key: this.objectKey(key) }));
  }

  async *list(): AsyncIterable<{ key: string; size: number }> {
    let token: string | undefined;
    do {
      const res = await this.client.send(
        new ListObjectsV2Command({ Bucket: this.loc.bucket, Prefix: this.loc.prefix || undefined, ContinuationToken: token }),
      );
      for (const o of res.Contents ?? []) {
        const key = (o.Key ?? '').slice(this.loc.prefix.length);
        if (KEY_RE.test(key)) yield { key, size: Number(o.Size ?? 0) };
      }
      token = res.IsTruncated ? res.NextContinuationToken : undefined;
    } while (token);
  }
}
