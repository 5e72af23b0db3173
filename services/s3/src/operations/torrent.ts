import type { CallContext } from '@stratus/shared';
import { createHash } from 'node:crypto';
import type { BlobRef } from '@stratus/shared/blobs/index';
import { blobRefOf, checkReadKey, type EncryptionInput } from '../objects.js';
import { requireBucket, type Operations, type S3Call, type S3Runtime } from '../runtime.js';
import { readableVersion } from './objects.js';

/** S3 torrents cut objects into 256 KiB pieces. */
const PIECE = 256 * 1024;
const ANNOUNCE = 'http://torrent.amazonaws.com:6969/announce';

type Bencodable = number | string | Buffer | Bencodable[] | { [key: string]: Bencodable };

/** BitTorrent's bencoding (dictionary keys sorted, as the format requires). */
function bencode(v: Bencodable): Buffer {
  if (typeof v === 'number') return Buffer.from(`i${Math.trunc(v)}e`);
  if (typeof v === 'string' || Buffer.isBuffer(v)) {
    const bytes = typeof v === 'string' ? Buffer.from(v, 'utf8') : v;
    return Buffer.concat([Buffer.from(`${bytes.length}:`), bytes]);
  }
  if (Array.isArray(v)) return Buffer.concat([Buffer.from('l'), ...v.map(bencode), Buffer.from('e')]);
  const keys = Object.keys(v).sort();
  return Buffer.concat([Buffer.from('d'), ...keys.flatMap((k) => [bencode(k), bencode(v[k])]), Buffer.from('e')]);
}

/** GetObjectTorrent: a .torrent file for the object (S3's BitTorrent support). */
export function torrentOperations(rt: S3Runtime): Operations {
  return {
    async GetObjectTorrent(input: { Bucket: string; Key: string; ExpectedBucketOwner?: string } & EncryptionInput, _ctx: CallContext, call: S3Call) {
      const bucket = await requireBucket(rt, input.Bucket, input.ExpectedBucketOwner, call);
      const record = await readableVersion(rt, bucket, input.Key, undefined, 'GET');
      checkReadKey(record, input);
      const pieces: Buffer[] = [];
      let hash = createHash('sha1');
      let filled = 0;
      if (record.size > 0) {
        for await (const chunk of await rt.blobs.open(blobRefOf(record))) {
          let bytes = chunk as Buffer;
          while (bytes.length > 0) {
            const take = Math.min(PIECE - filled, bytes.length);
            hash.update(bytes.subarray(0, take));
            filled += take;
            bytes = bytes.subarray(take);
            if (filled === PIECE) {
              pieces.push(hash.digest());
              hash = createHash('sha1');
              filled = 0;
            }
          }
        }
      }
      if (filled > 0) pieces.push(hash.digest());
      const name = record.key.slice(record.key.lastIndexOf('/') + 1) || record.key;
      const torrent = bencode({
        announce: ANNOUNCE,
        'announce-list': [[ANNOUNCE]],
        info: { length: record.size, name, 'piece length': PIECE, pieces: Buffer.concat(pieces) },
      });
      // The torrent travels inside its ref: it is made for this answer and kept nowhere.
      const body: BlobRef = {
        id: `i${createHash('md5').update(torrent).digest('hex')}`,
        size: torrent.length,
        etag: createHash('md5').update(torrent).digest('hex'),
        checksums: {},
        inline: torrent.toString('base64'),
      };
      return { Body: { blob: body } };
    },
  };
}
