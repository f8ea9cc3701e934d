// The example data generators' shared randomness: a seeded PRNG and GS1 check digits, so every
// machine writes the same files. No dependencies (the examples stay runnable from a bare clone).

/** mulberry32: small, fast, good enough for example data, identical on every machine. */
export function prng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** GS1 check digit, so that valid EANs really are valid. */
export function withCheckDigit(body) {
  let sum = 0;
  for (let i = body.length - 1, w = 3; i >= 0; i--, w = 4 - w) sum += Number(body[i]) * w;
  return body + ((10 - (sum % 10)) % 10);
}
