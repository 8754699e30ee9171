import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { storeContract } from '../../../test/contract/store-contract.js';
import { nodeHasher } from '../crypto/node-signer.js';
import { SqliteStore } from './sqlite-store.js';

storeContract('sqlite', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'arbiter-sqlite-'));
  const store = new SqliteStore({ path: join(dir, 'arbiter.db'), hasher: nodeHasher });
  return {
    store,
    cleanup: async () => {
      await store.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
});
