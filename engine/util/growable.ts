/**
 * Typed arrays that grow in place. They sit on resizable ArrayBuffers (address space reserved up
 * front, pages committed only as they are touched), so an index that doubles never holds its old
 * and new copy at once until the GC frees the old one: at a million records the products feed's
 * three duplicate indexes grow together, and those copies were ~30 MB of its peak RSS (bench/README,
 * "Memory"). Where the reservation is refused (a `ulimit -v`), they fall back to copying.
 */

/** Address space reserved per array: 4 GiB, the most any of these indexes addresses (32-bit offsets). */
const RESERVE_BYTES = 2 ** 32;

type Growable = Uint8Array | Uint32Array | Float64Array;
type Ctor<T extends Growable> = { new (buffer: ArrayBuffer): T; new (length: number): T; BYTES_PER_ELEMENT: number };

interface ResizableBuffer extends ArrayBuffer {
  readonly resizable: boolean;
  readonly maxByteLength: number;
  resize(byteLength: number): void;
}

/** A zero-filled array of `length` elements that `grow` can enlarge in place. */
export function growable<T extends Growable>(ctor: Ctor<T>, length: number): T {
  try {
    const Resizable = ArrayBuffer as unknown as new (bytes: number, options: { maxByteLength: number }) => ArrayBuffer;
    return new ctor(new Resizable(length * ctor.BYTES_PER_ELEMENT, { maxByteLength: RESERVE_BYTES }));
  } catch {
    return new ctor(length);
  }
}

/** `array` with room for `length` elements (zero-filled past the old end): the same array when grown in place. */
export function grow<T extends Growable>(array: T, length: number): T {
  if (length <= array.length) return array;
  const buffer = array.buffer as ResizableBuffer;
  const bytes = length * array.BYTES_PER_ELEMENT;
  if (buffer.resizable && bytes <= buffer.maxByteLength) {
    // a length-tracking view (made without a length) follows its buffer
    buffer.resize(bytes);
    return array;
  }
  const next = new (array.constructor as Ctor<T>)(length);
  next.set(array as never);
  return next;
}
