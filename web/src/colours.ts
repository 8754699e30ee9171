/**
 * Agent colours: derived from the agent's id, never from the order the page first saw it, so an agent keeps its
 * colour across reloads. 24 colours (12 hues 30° apart, each in a light and a deep tone, the two tones offset by
 * 15°) separate up to 24 agents; beyond that colours repeat and the legend's toggles pick out one line.
 */

function hex(h: number, s: number, l: number): string {
  // HSL → sRGB hex (the charts take hex; the formula is the CSS Color 4 one).
  const a = s * Math.min(l, 1 - l);
  const f = (n: number) => {
    const k = (n + h / 30) % 12;
    const c = l - a * Math.max(-1, Math.min(k - 3, 9 - k, 1));
    return Math.round(c * 255)
      .toString(16)
      .padStart(2, '0');
  };
  return `#${f(0)}${f(8)}${f(4)}`;
}

export const PALETTE: readonly string[] = Array.from({ length: 24 }, (_, i) =>
  i % 2 === 0 ? hex((i / 2) * 30, 0.85, 0.66) : hex(((i - 1) / 2) * 30 + 15, 0.8, 0.47),
);

/** FNV-1a, 32 bits: a short, well-spread hash of the id. */
export function idHash(id: string): number {
  let x = 0x811c9dc5;
  for (let i = 0; i < id.length; i++) {
    x ^= id.charCodeAt(i);
    x = Math.imul(x, 0x01000193);
  }
  return x >>> 0;
}

/** The colour an agent gets on its own: its hash's slot in the palette. */
export function hashedColour(id: string): string {
  return PALETTE[idHash(id) % PALETTE.length]!;
}

/**
 * Colours for a roster: each agent takes its hash's slot, or (when another agent holds it) the next free one,
 * agents taken in (hash, id) order. The result depends only on the set of ids, not their order, and gives
 * different agents different colours while there are no more agents than colours.
 */
export function rosterColours(ids: Iterable<string>): Map<string, string> {
  const unique = [...new Set(ids)].map((id) => ({ id, slot: idHash(id) % PALETTE.length }));
  unique.sort((a, b) => a.slot - b.slot || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const taken = new Set<number>();
  const out = new Map<string, string>();
  for (const { id, slot } of unique) {
    let s = slot;
    if (taken.size < PALETTE.length) while (taken.has(s)) s = (s + 1) % PALETTE.length;
    taken.add(s);
    out.set(id, PALETTE[s]!);
  }
  return out;
}
