import { existsSync, rmSync } from 'node:fs';
import { writeFileAtomic } from './files.js';
import type { RuntimeLayout } from './layout.js';

/** A halt sentinel halts by its existence alone: its content (a reason) is informational. */
export function fileHalts(layout: RuntimeLayout, broker: string): { global: boolean; venue: boolean } {
  return { global: existsSync(layout.globalHalt()), venue: existsSync(layout.brokerHalt(broker)) };
}

export function writeHaltFile(path: string, reason: string, now: number): void {
  writeFileAtomic(path, `${JSON.stringify({ reason, ts: new Date(now).toISOString() })}\n`);
}

export function removeHaltFile(path: string): boolean {
  if (!existsSync(path)) return false;
  rmSync(path);
  return true;
}
