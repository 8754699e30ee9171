import { ArbiterClient, ArbiterHttpError } from '../../src/client/index.js';

const ADMIN_KEY = 'arbiter.adminToken';
const AGENT_KEY = 'arbiter.agentToken';

/** Tokens live in sessionStorage: gone when the tab closes, never sent anywhere but this server. */
export const tokens = {
  get admin(): string {
    return sessionStorage.getItem(ADMIN_KEY) ?? '';
  },
  set admin(v: string) {
    if (v) sessionStorage.setItem(ADMIN_KEY, v);
    else sessionStorage.removeItem(ADMIN_KEY);
  },
  get agent(): string {
    return sessionStorage.getItem(AGENT_KEY) ?? '';
  },
  set agent(v: string) {
    if (v) sessionStorage.setItem(AGENT_KEY, v);
    else sessionStorage.removeItem(AGENT_KEY);
  },
};

const origin = location.origin;

/** Public reads. */
export const api = new ArbiterClient(origin);

export const get = <T>(path: string): Promise<T> => api.request<T>('GET', path);

/** As the agent whose token is typed into the console. */
export const asAgent = () => new ArbiterClient(origin, tokens.agent);

/** As the operator (admin token). */
export const asAdmin = () => new ArbiterClient(origin, tokens.admin);

export function errorText(e: unknown): string {
  if (e instanceof ArbiterHttpError) return e.message;
  return e instanceof Error ? e.message : String(e);
}

export { ArbiterHttpError };
