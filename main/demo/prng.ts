/**
 * A small counter-based random source for the demo generator. Every record draws from its own
 * stream, keyed by (seed, kind of record, index), so record 41,999 can be made without making the
 * 41,999 before it: that is what lets a national-scale document be written as a stream, and what
 * makes every record the same whichever order they are produced in.
 *
 * sfc32 (Chris Doty-Humphrey's Small Fast Counting generator, PractRand-clean) seeded through a
 * 32-bit integer mix. Integer arithmetic only, so the same seed gives the same numbers on every
 * machine and Node version. Never Math.random, never the clock.
 */

/** A 32-bit avalanche mix (Chris Wellons' "lowbias32"). */
function mix32(x: number): number {
  x ^= x >>> 16;
  x = Math.imul(x, 0x7feb352d);
  x ^= x >>> 15;
  x = Math.imul(x, 0x846ca68b);
  x ^= x >>> 16;
  return x >>> 0;
}

/** FNV-1a over the label's UTF-16 code units: a stream name to 32 bits. */
export function hashLabel(label: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < label.length; i++) {
    h ^= label.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

export class Rand {
  private a: number;
  private b: number;
  private c: number;
  private d: number;

  /** `stream` is a hashLabel() value; `index` the record's number within that kind. */
  constructor(seed: number, stream: number, index: number) {
    this.a = mix32((seed ^ 0x9e3779b9) >>> 0);
    this.b = mix32((this.a ^ stream) >>> 0);
    this.c = mix32((this.b + index) >>> 0);
    this.d = 1;
    // Warm up so nearby indices give unrelated streams.
    for (let i = 0; i < 12; i++) this.u32();
  }

  u32(): number {
    const t = (((this.a + this.b) | 0) + this.d) | 0;
    this.d = (this.d + 1) | 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) | 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.c = (this.c + t) | 0;
    return t >>> 0;
  }

  /** Uniform in [0, 1). */
  next(): number {
    return this.u32() / 4294967296;
  }

  /** Uniform integer in [min, max], both inclusive. */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  bool(p: number): boolean {
    return this.next() < p;
  }

  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)]!;
  }

  /** One key of a table of relative weights. */
  weighted<K extends string>(table: readonly (readonly [K, number])[]): K {
    let total = 0;
    for (const [, w] of table) total += w;
    let x = this.next() * total;
    for (const [k, w] of table) {
      x -= w;
      if (x < 0) return k;
    }
    return table[table.length - 1]![0];
  }
}
