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

/**
 * The token the page reads with: the admin token if one is set (the operator sees everything), else the agent
 * token typed into the console (an agent sees its own). Empty when signed out: only public routes answer then.
 */
export const readerToken = (): string => tokens.admin || tokens.agent;

export const signedIn = (): boolean => readerToken() !== '';

/** Reads, as whoever is signed in (public routes ignore the token). */
export const get = <T>(path: string): Promise<T> =>
  new ArbiterClient(origin, readerToken() || undefined).request<T>('GET', path);

/** A single-use ticket to open the event stream (an EventSource cannot send the token itself). */
export const streamTicket = (): Promise<{ ticket: string }> =>
  new ArbiterClient(origin, readerToken()).request('POST', '/v1/stream/ticket');

/** As the agent whose token is typed into the console. */
export const asAgent = () => new ArbiterClient(origin, tokens.agent);

/** As the operator (admin token). */
export const asAdmin = () => new ArbiterClient(origin, tokens.admin);

export function errorText(e: unknown): string {
  if (e instanceof ArbiterHttpError) return e.message;
  return e instanceof Error ? e.message : String(e);
}

export { ArbiterHttpError };
