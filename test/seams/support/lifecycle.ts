import { afterAll, beforeAll } from 'vitest';
import { cleanUpHomes, type Home, makeHome } from './homes.js';
import { killAll, type Serve, startServe } from './processes.js';

/** Registers the file's clean-up: every child process ended (even after a failure), every home removed. */
export function cleanUpAfterAll(): void {
  afterAll(async () => {
    await killAll();
    await cleanUpHomes();
  });
}

/**
 * One SQLite installation with `arbiter serve` running on it for the whole file (the file's tests act as distinct
 * agents, so they never share a throttle, a duplicate window or a client order id), and the file's clean-up.
 */
export function servedHome(): { readonly home: Home; readonly serve: Serve } {
  const box: { home?: Home; serve?: Serve } = {};
  beforeAll(async () => {
    box.home = await makeHome('sqlite');
    box.serve = await startServe(box.home.env());
  }, 180_000);
  cleanUpAfterAll();
  return {
    get home() {
      if (!box.home) throw new Error('servedHome: the installation is made in beforeAll');
      return box.home;
    },
    get serve() {
      if (!box.serve) throw new Error('servedHome: serve is started in beforeAll');
      return box.serve;
    },
  };
}
