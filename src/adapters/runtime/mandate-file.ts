import { existsSync, readFileSync } from 'node:fs';
import { parseMandateText } from '../../core/mandate/schema.js';
import type { Mandate, MandateLoad } from '../../core/mandate/types.js';
import { writeFileAtomic } from './files.js';
import type { RuntimeLayout } from './layout.js';

/** Loads `live/<broker>/mandate.json`. Fail-closed: any problem is a MandateLoad the firewall refuses on. */
export function loadMandate(layout: RuntimeLayout, broker: string): MandateLoad {
  let path: string;
  try {
    path = layout.mandate(broker);
  } catch (e) {
    return { ok: false, code: 'MANDATE_INVALID', message: `MANDATE_INVALID: ${(e as Error).message}` };
  }
  if (!existsSync(path)) return { ok: false, code: 'MANDATE_MISSING', message: `MANDATE_MISSING: path=${path}` };
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    return { ok: false, code: 'MANDATE_INVALID', message: `MANDATE_INVALID: unreadable (${(e as Error).message})` };
  }
  return parseMandateText(text);
}

export function writeMandate(layout: RuntimeLayout, mandate: Mandate): string {
  const path = layout.mandate(mandate.consent.broker);
  writeFileAtomic(path, `${JSON.stringify(mandate, null, 2)}\n`, 0o600);
  return path;
}
