import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MemoryStore } from '../src/store/memory.js';
import { storeContract } from './store-contract.js';

storeContract(
  'memory',
  async () => MemoryStore.open(),
  (store) => store.close(),
);

// The same contract with every change journaled, and the journal then replayed into a second store.
const dir = mkdtempSync(join(tmpdir(), 'stratus-dynamodb-contract-'));
storeContract(
  'memory, durable',
  async () => MemoryStore.open(dir),
  async (store) => {
    const before = await store.dump(0);
    await store.close();
    const reopened = MemoryStore.open(dir);
    const after = await reopened.dump(0);
    await reopened.close();
    rmSync(dir, { recursive: true, force: true });
    if (JSON.stringify(after) !== JSON.stringify(before)) throw new Error('replayed state differs from the live state');
  },
);
