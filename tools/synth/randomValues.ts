import { createHash } from "node:crypto";

/**
 * `random.RandomPassword` and `random.RandomString` results of the requested length and character
 * classes, as terraform-provider-random makes them (internal/random/string.go: lower, upper,
 * numeric and special classes, each on unless turned off, the minimum counts drawn first, the
 * default specials `!@#$%&*()-_=+[]{}<>:?` unless overridden, then shuffled). Drawn from a stream
 * seeded by the resource's name and the machine's state salt (keyMaterial.ts), so that, as with
 * Pulumi's state, the same resource keeps its value from one synth to the next.
 */

const CLASSES = {
  lower: "abcdefghijklmnopqrstuvwxyz",
  upper: "ABCDEFGHIJKLMNOPQRSTUVWXYZ",
  numeric: "0123456789",
} as const;
const DEFAULT_SPECIAL = "!@#$%&*()-_=+[]{}<>:?";

type Inputs = Record<string, any>;

/** Unbiased integers below `bound` from a SHA-256 counter stream. */
function stream(seed: string): (bound: number) => number {
  let counter = 0;
  let pool: Buffer = Buffer.alloc(0);
  const byte = (): number => {
    if (pool.length === 0) pool = createHash("sha256").update(`${seed}:${counter++}`).digest();
    const value = pool[0];
    pool = pool.subarray(1);
    return value;
  };
  return (bound) => {
    const limit = 256 - (256 % bound);
    for (;;) {
      const value = byte();
      if (value < limit) return value % bound;
    }
  };
}

export function randomText(seed: string, inputs: Inputs): string {
  const length = Number(inputs.length);
  if (!Number.isInteger(length) || length < 1) throw new Error(`random: length must be a positive integer, given ${inputs.length}`);
  const on = (key: string) => inputs[key] !== false;
  const special = typeof inputs.overrideSpecial === "string" ? inputs.overrideSpecial : DEFAULT_SPECIAL;
  const classes: [string, number][] = [
    [on("lower") ? CLASSES.lower : "", Number(inputs.minLower ?? 0)],
    [on("upper") ? CLASSES.upper : "", Number(inputs.minUpper ?? 0)],
    [on("numeric") ? CLASSES.numeric : "", Number(inputs.minNumeric ?? 0)],
    [on("special") ? special : "", Number(inputs.minSpecial ?? 0)],
  ];
  const all = classes.map(([chars]) => chars).join("");
  if (!all) throw new Error("random: every character class is turned off");
  const next = stream(seed);
  const picked: string[] = [];
  for (const [chars, minimum] of classes) for (let index = 0; index < minimum && chars; index += 1) picked.push(chars[next(chars.length)]);
  while (picked.length < length) picked.push(all[next(all.length)]);
  for (let index = picked.length - 1; index > 0; index -= 1) {
    const other = next(index + 1);
    [picked[index], picked[other]] = [picked[other], picked[index]];
  }
  return picked.join("");
}
