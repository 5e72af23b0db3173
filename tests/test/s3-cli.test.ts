import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { HeadObjectCommand, ListObjectsV2Command, type S3Client } from '@aws-sdk/client-s3';
import { startEmbedded, type RunningStratus } from '@stratus/cli';
import { aws, awsJson } from '../src/aws-cli.js';
import { MiB, bucketName, s3Client } from '../src/s3.js';

/**
 * S3 through the AWS CLI (v1 here, which bundles botocore and s3transfer): the high-level `aws s3`
 * commands (mb, cp up and down with multipart, sync, ls, rm, rb, presign) and `aws s3api`. Each `aws`
 * process costs about half a second, so the checks are few and the independent ones run side by side.
 * Every command gets `--endpoint-url` (the way CLI users reach a local endpoint).
 */

const ACCOUNT = '123456789012';

/** Runs a command that must succeed; returns its stdout. */
async function ok(endpoint: string, args: string[]): Promise<string> {
  // Transfers print progress lines ("Completed 1 KiB/...\r") between their results unless told not to.
  const transfer = args[0] === 's3' && ['cp', 'sync', 'mv'].includes(args[1]);
  const r = await s3cli(endpoint, transfer ? [...args, '--no-progress'] : args);
  assert.equal(r.code, 0, `aws ${args.join(' ')} exited with ${r.code}: ${r.stderr}`);
  return r.stdout;
}

/** `aws <args>` as this account (the helper adds `--output json`, which `aws s3` commands ignore). */
const s3cli = (endpoint: string, args: string[]) => aws(endpoint, args, ACCOUNT);

/** An `aws s3api` command that must succeed, its JSON output parsed ({} for none). */
const api = (endpoint: string, args: string[]): Promise<any> => awsJson(endpoint, ['s3api', ...args], ACCOUNT);

/** The non-empty lines of some output, in order. */
const ordered = (out: string) =>
  out
    .split('\n')
    .map((l) => l.trimEnd())
    .filter(Boolean);
/** ... sorted (transfers run in parallel and report in any order). */
const lines = (out: string) => ordered(out).sort();

const md5 = (data: Uint8Array | string) => createHash('md5').update(data).digest('hex');

/** Every file under a directory: relative path -> contents' MD5. */
function tree(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string) => {
    for (const name of readdirSync(d)) {
      const p = join(d, name);
      if (statSync(p).isDirectory()) walk(p);
      else out[relative(dir, p)] = md5(readFileSync(p));
    }
  };
  walk(dir);
  return out;
}

describe('S3 through the AWS CLI', { concurrency: true }, () => {
  let stratus: RunningStratus;
  let endpoint: string;
  let s3: S3Client;
  let scratch: string;
  before(async () => {
    stratus = await startEmbedded({ port: 0, logLevel: 'silent', dataDir: undefined, redisUrl: undefined, natsUrl: undefined });
    endpoint = stratus.endpoint;
    s3 = s3Client(endpoint, { account: ACCOUNT });
    scratch = mkdtempSync(join(tmpdir(), 'stratus-s3-cli-'));
  });
  after(async () => {
    s3?.destroy();
    await stratus?.close();
    rmSync(scratch, { recursive: true, force: true });
  });

  it('makes a bucket, copies files up and down (one large enough for multipart), lists and removes them', async () => {
    const bucket = bucketName('cli-cp');
    assert.equal((await ok(endpoint, ['s3', 'mb', `s3://${bucket}`])).trim(), `make_bucket: ${bucket}`);
    const dir = join(scratch, 'cp');
    mkdirSync(dir);
    const small = join(dir, 'notes file.txt');
    writeFileSync(small, 'small file from the CLI ✓\n');
    // The CLI's multipart threshold and part size are 8 MiB: 20 MiB + a bit go as three parts.
    const large = join(dir, 'large.bin');
    const largeData = randomBytes(20 * MiB + 5);
    writeFileSync(large, largeData);

    const [upSmall, upLarge] = await Promise.all([
      ok(endpoint, ['s3', 'cp', small, `s3://${bucket}/docs/notes file.txt`, '--content-type', 'text/plain', '--metadata', 'origin=cli']),
      ok(endpoint, ['s3', 'cp', large, `s3://${bucket}/blobs/large.bin`]),
    ]);
    assert.match(upSmall, new RegExp(`upload: .*notes file\\.txt to s3://${bucket}/docs/notes file\\.txt`));
    assert.match(upLarge, new RegExp(`upload: .*large\\.bin to s3://${bucket}/blobs/large\\.bin`));

    const head = await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: 'blobs/large.bin' }));
    assert.equal(head.ContentLength, largeData.length);
    const parts = [largeData.subarray(0, 8 * MiB), largeData.subarray(8 * MiB, 16 * MiB), largeData.subarray(16 * MiB)];
    const etag = createHash('md5').update(Buffer.concat(parts.map((p) => createHash('md5').update(p).digest()))).digest('hex');
    assert.equal(head.ETag, `"${etag}-3"`, 'uploaded as three parts');
    const smallHead = await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: 'docs/notes file.txt' }));
    assert.equal(smallHead.ContentType, 'text/plain');
    assert.deepEqual(smallHead.Metadata, { origin: 'cli' });

    const down = join(scratch, 'cp-down');
    mkdirSync(down);
    const [downLarge] = await Promise.all([
      ok(endpoint, ['s3', 'cp', `s3://${bucket}/blobs/large.bin`, join(down, 'large.bin')]),
      ok(endpoint, ['s3', 'cp', `s3://${bucket}/docs/notes file.txt`, join(down, 'notes.txt')]),
    ]);
    assert.match(downLarge, new RegExp(`download: s3://${bucket}/blobs/large\\.bin to .*large\\.bin`));
    assert.equal(md5(readFileSync(join(down, 'large.bin'))), md5(largeData));
    assert.equal(readFileSync(join(down, 'notes.txt'), 'utf8'), 'small file from the CLI ✓\n');
    // Streams: `-` is stdout.
    assert.equal(await ok(endpoint, ['s3', 'cp', `s3://${bucket}/docs/notes file.txt`, '-']), 'small file from the CLI ✓\n');

    // ls: prefixes as PRE, objects with date, size and name.
    const top = lines(await ok(endpoint, ['s3', 'ls', `s3://${bucket}/`]));
    assert.deepEqual(top, ['PRE blobs/', 'PRE docs/'].map((l) => `                           ${l}`).sort());
    const recursive = ordered(await ok(endpoint, ['s3', 'ls', `s3://${bucket}/`, '--recursive']));
    assert.equal(recursive.length, 2);
    assert.match(recursive[0], new RegExp(`^\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d +${largeData.length} blobs/large\\.bin$`));
    assert.match(recursive[1], /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d +28 docs\/notes file\.txt$/);
    // ls with no bucket lists buckets.
    assert.ok(lines(await ok(endpoint, ['s3', 'ls'])).some((l) => new RegExp(`^\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d ${bucket}$`).test(l)));

    // rb refuses a bucket with objects; rm --recursive empties it.
    const rb = await s3cli(endpoint, ['s3', 'rb', `s3://${bucket}`]);
    assert.ok(rb.code === 255 || rb.code === 254 || rb.code === 1, `exit code ${rb.code}`);
    assert.match(rb.stderr, /remove_bucket failed: .*BucketNotEmpty.*The bucket you tried to delete is not empty/);
    const rm = lines(await ok(endpoint, ['s3', 'rm', `s3://${bucket}/`, '--recursive']));
    assert.deepEqual(rm, [`delete: s3://${bucket}/blobs/large.bin`, `delete: s3://${bucket}/docs/notes file.txt`]);
    assert.equal((await s3.send(new ListObjectsV2Command({ Bucket: bucket }))).KeyCount, 0);
    assert.equal((await ok(endpoint, ['s3', 'rb', `s3://${bucket}`])).trim(), `remove_bucket: ${bucket}`);
  });

  it('syncs a directory tree up, only what changed, with --delete, and back down', async () => {
    const bucket = bucketName('cli-sync');
    await ok(endpoint, ['s3', 'mb', `s3://${bucket}`]);
    const src = join(scratch, 'sync-src');
    const files: Record<string, string> = {
      'index.html': '<h1>home</h1>',
      'css/site.css': 'body { margin: 0 }',
      'img/logo one.svg': '<svg/>',
      'deep/a/b/c/leaf.txt': 'leaf',
      'deep/a/other.json': '{"x": 1}',
      'ünïcode/名前.txt': 'unicode path',
    };
    for (const [path, body] of Object.entries(files)) {
      mkdirSync(join(src, path, '..'), { recursive: true });
      writeFileSync(join(src, path), body);
    }
    const first = lines(await ok(endpoint, ['s3', 'sync', src, `s3://${bucket}/site`]));
    assert.equal(first.length, Object.keys(files).length, first.join('\n'));
    for (const path of Object.keys(files)) assert.ok(first.some((l) => l.startsWith('upload: ') && l.endsWith(` to s3://${bucket}/site/${path}`)), `${path} in\n${first.join('\n')}`);
    const listed = await s3.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: 'site/' }));
    assert.deepEqual(listed.Contents?.map((o) => o.Key).sort(), Object.keys(files).map((p) => `site/${p}`).sort());

    // Nothing changed: nothing to do (sizes equal, S3's LastModified not older than the files).
    assert.equal((await ok(endpoint, ['s3', 'sync', src, `s3://${bucket}/site`])).trim(), '');

    // One file grows, one goes: sync uploads one and, with --delete, deletes one.
    writeFileSync(join(src, 'css/site.css'), 'body { margin: 0; padding: 0 }');
    rmSync(join(src, 'index.html'));
    const second = lines(await ok(endpoint, ['s3', 'sync', src, `s3://${bucket}/site`, '--delete']));
    assert.equal(second.length, 2, second.join('\n'));
    assert.match(second[0], new RegExp(`^delete: s3://${bucket}/site/index\\.html$`));
    assert.match(second[1], new RegExp(`^upload: .*site\\.css to s3://${bucket}/site/css/site\\.css$`));

    // ls of a prefix, and sync down into an empty directory.
    const ls = lines(await ok(endpoint, ['s3', 'ls', `s3://${bucket}/site/`]));
    assert.deepEqual(
      ls.map((l) => l.trim()),
      ['PRE css/', 'PRE deep/', 'PRE img/', 'PRE ünïcode/'].sort(),
    );
    const dst = join(scratch, 'sync-dst');
    mkdirSync(dst);
    const down = lines(await ok(endpoint, ['s3', 'sync', `s3://${bucket}/site`, dst]));
    assert.equal(down.length, Object.keys(files).length - 1);
    assert.deepEqual(tree(dst), tree(src));
  });

  it('puts, heads and reads the tags of an object with s3api', async () => {
    const bucket = bucketName('cli-api');
    await api(endpoint, ['create-bucket', '--bucket', bucket]);
    const file = join(scratch, 'api-body.json');
    writeFileSync(file, '{"hello": "s3api"}');
    const put = await api(endpoint, [
      'put-object', '--bucket', bucket, '--key', 'docs/hello.json', '--body', file,
      '--content-type', 'application/json', '--metadata', 'team=storage,stage=test', '--tagging', 'env=test&owner=cli',
    ]);
    assert.equal(put.ETag, `"${md5('{"hello": "s3api"}')}"`);
    const head = await api(endpoint, ['head-object', '--bucket', bucket, '--key', 'docs/hello.json']);
    assert.equal(head.ContentLength, 18);
    assert.equal(head.ContentType, 'application/json');
    assert.equal(head.ETag, put.ETag);
    assert.deepEqual(head.Metadata, { team: 'storage', stage: 'test' });
    // CLI v1 prints timestamps as they came (the Last-Modified header's HTTP date), v2 as ISO 8601.
    assert.match(head.LastModified, /^(\w{3}, \d\d \w{3} \d{4} \d\d:\d\d:\d\d GMT|\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+00:00)$/);
    const tags = await api(endpoint, ['get-object-tagging', '--bucket', bucket, '--key', 'docs/hello.json']);
    assert.deepEqual(
      [...tags.TagSet].sort((a: { Key: string }, b: { Key: string }) => a.Key.localeCompare(b.Key)),
      [
        { Key: 'env', Value: 'test' },
        { Key: 'owner', Value: 'cli' },
      ],
    );
    const outFile = join(scratch, 'api-out.json');
    const got = await api(endpoint, ['get-object', '--bucket', bucket, '--key', 'docs/hello.json', outFile]);
    assert.equal(got.ContentLength, 18);
    assert.equal(readFileSync(outFile, 'utf8'), '{"hello": "s3api"}');
    const listed = await api(endpoint, ['list-objects-v2', '--bucket', bucket, '--prefix', 'docs/']);
    assert.deepEqual(listed.Contents.map((o: { Key: string; Size: number }) => [o.Key, o.Size]), [['docs/hello.json', 18]]);

    // A presigned URL from `aws s3 presign`.
    const url = (await ok(endpoint, ['s3', 'presign', `s3://${bucket}/docs/hello.json`, '--expires-in', '300'])).trim();
    const res = await fetch(url);
    assert.equal(res.status, 200);
    assert.equal(await res.text(), '{"hello": "s3api"}');
  });

  it('fails with the CLI error exit code and the AWS error text', async () => {
    const bucket = bucketName('cli-err');
    await ok(endpoint, ['s3', 'mb', `s3://${bucket}`]);
    const [head, getTags, lsMissing, cpMissing, mbAgain] = await Promise.all([
      s3cli(endpoint, ['s3api', 'head-object', '--bucket', bucket, '--key', 'missing']),
      s3cli(endpoint, ['s3api', 'get-object-tagging', '--bucket', bucket, '--key', 'missing']),
      s3cli(endpoint, ['s3', 'ls', `s3://no-such-bucket-${bucket}`]),
      s3cli(endpoint, ['s3', 'cp', `s3://${bucket}/missing.txt`, join(scratch, 'never')]),
      s3cli(endpoint, ['s3api', 'create-bucket', '--bucket', bucket, '--create-bucket-configuration', 'LocationConstraint=eu-west-1', '--region', 'eu-west-1']),
    ]);
    // CLI v1 exits 255 for a service error, v2 254; s3 commands 1 for a failed transfer.
    assert.ok(head.code === 255 || head.code === 254, `exit code ${head.code}`);
    assert.equal(head.stdout, '');
    // HEAD errors have no body: botocore names them by status (with AWS_MAX_ATTEMPTS set, it adds
    // "(reached max retries: 0)" after the operation name).
    assert.match(head.stderr, /An error occurred \(404\) when calling the HeadObject operation( \(reached max retries: 0\))?: Not Found/);
    assert.match(getTags.stderr, /An error occurred \(NoSuchKey\) when calling the GetObjectTagging operation( \(reached max retries: 0\))?: The specified key does not exist\./);
    assert.ok(lsMissing.code === 255 || lsMissing.code === 254, `exit code ${lsMissing.code}`);
    assert.match(lsMissing.stderr, /An error occurred \(NoSuchBucket\) when calling the ListObjectsV2 operation( \(reached max retries: 0\))?: The specified bucket does not exist/);
    assert.ok(cpMissing.code !== 0, `exit code ${cpMissing.code}`);
    assert.match(cpMissing.stderr, /fatal error: An error occurred \(404\) when calling the HeadObject operation( \(reached max retries: 0\))?: Key "missing\.txt" does not exist/);
    // The bucket is ours in us-east-1: a create in another region is BucketAlreadyOwnedByYou.
    assert.match(mbAgain.stderr, /An error occurred \(BucketAlreadyOwnedByYou\) when calling the CreateBucket operation( \(reached max retries: 0\))?: Your previous request to create the named bucket succeeded and you already own it\./);
  });
});
