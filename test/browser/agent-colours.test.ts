import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { hashedColour, idHash, PALETTE, rosterColours } from '../../web/src/colours.js';

const ids = fc.uniqueArray(fc.string({ minLength: 1, maxLength: 24 }), { minLength: 1, maxLength: PALETTE.length });

const channels = (hex: string) => [1, 3, 5].map((i) => Number.parseInt(hex.slice(i, i + 2), 16));

describe('agent colours', () => {
  it('has 24 different colours, each pair far apart (RGB distance ≥ 60 of 441)', () => {
    expect(PALETTE).toHaveLength(24);
    expect(new Set(PALETTE).size).toBe(24);
    for (const c of PALETTE) expect(c).toMatch(/^#[0-9a-f]{6}$/);
    let closest = Number.POSITIVE_INFINITY;
    for (let i = 0; i < PALETTE.length; i++)
      for (let j = i + 1; j < PALETTE.length; j++) {
        const a = channels(PALETTE[i]!);
        const b = channels(PALETTE[j]!);
        closest = Math.min(closest, Math.hypot(a[0]! - b[0]!, a[1]! - b[1]!, a[2]! - b[2]!));
      }
    expect(closest).toBeGreaterThanOrEqual(60);
  });

  it("gives an agent alone its hash's colour, the same on every call", () => {
    fc.assert(
      fc.property(fc.string(), (id) => {
        expect(hashedColour(id)).toBe(PALETTE[idHash(id) % PALETTE.length]);
        expect(hashedColour(id)).toBe(hashedColour(`${id}`));
      }),
    );
  });

  it('gives up to 24 agents different colours, whatever order the page first sees them in', () => {
    fc.assert(
      fc.property(
        ids.chain((xs) => fc.tuple(fc.constant(xs), fc.shuffledSubarray(xs, { minLength: xs.length }))),
        ([xs, shuffled]) => {
          const a = rosterColours(xs);
          const b = rosterColours(shuffled);
          expect([...a.keys()].sort()).toEqual([...xs].sort());
          expect(new Set(a.values()).size, 'no two agents share a colour').toBe(xs.length);
          for (const id of xs) expect(b.get(id), id).toBe(a.get(id));
        },
      ),
    );
  });
});
