import { existsSync, readFileSync, statSync } from 'node:fs';
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

/**
 * Mandate loading for a long-running process: the file is re-read and re-validated only when it changes
 * (inode, size or mtime), so the hot path costs one stat.
 */
export class MandateFiles {
  private readonly cache = new Map<string, { stamp: string; load: MandateLoad }>();
  constructor(private readonly layout: RuntimeLayout) {}

  load(broker: string): MandateLoad {
    let stamp = 'missing';
    try {
      const st = statSync(this.layout.mandate(broker));
      stamp = `${st.ino}:${st.size}:${st.mtimeMs}`;
    } catch {
      // missing or unreadable: loadMandate says which
    }
    const hit = this.cache.get(broker);
    if (hit && hit.stamp === stamp && stamp !== 'missing') return hit.load;
    const load = loadMandate(this.layout, broker);
    this.cache.set(broker, { stamp, load });
    return load;
  }
}
