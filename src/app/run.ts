import { type AppContext, createContext } from './context.js';
import { createAdapters } from './market.js';
import { loadSettings, type Settings } from './settings.js';

/** Builds the app for one CLI command, runs it, and always closes the store. */
export async function withContext<T>(overrides: Partial<Settings>, fn: (app: AppContext) => Promise<T>): Promise<T> {
  const clean = Object.fromEntries(Object.entries(overrides).filter(([, v]) => v !== undefined)) as Partial<Settings>;
  const settings = loadSettings(process.env, clean);
  const adapters = await createAdapters(settings);
  const app = await createContext(settings, { market: adapters.market, venues: adapters.venues });
  try {
    return await fn(app);
  } finally {
    await app.close();
  }
}
