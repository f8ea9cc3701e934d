/**
 * Serves the items of an async stream of arrays one by one. The csv source parses a whole chunk
 * of text at a time; yielding each record from an async generator costs an async-generator step
 * per record (~0.5 µs: its queue, an await on the yielded value, a `yield*` delegation), while a
 * ready item here is one already-resolved promise (~0.15 µs). Measured in the csv source's README.
 */

const DONE: IteratorReturnResult<undefined> = Object.freeze({ done: true, value: undefined });

/**
 * Flattens `batches` into an async iterator with async-generator semantics: calls answered in
 * order even when not awaited one by one, done for good after the end or an error (the error
 * itself reaches the caller once), and `return()` (a consumer's `break`) closes `batches`.
 */
export function flattenBatches<T>(batches: AsyncGenerator<T[], void, undefined>): AsyncIterableIterator<T> {
  let items: T[] = [];
  let at = 0;
  let finished = false;
  let busy: Promise<unknown> | undefined; // the last call still in flight, when one is

  const refill = async (): Promise<IteratorResult<T, undefined>> => {
    try {
      for (;;) {
        const r = await batches.next();
        if (r.done) break;
        if (r.value.length > 0) {
          items = r.value;
          at = 1;
          return { done: false, value: r.value[0]! };
        }
      }
    } catch (err) {
      finished = true;
      items = [];
      throw err;
    }
    finished = true;
    items = [];
    return DONE;
  };

  const step = (): IteratorResult<T, undefined> | Promise<IteratorResult<T, undefined>> => {
    if (at < items.length) return { done: false, value: items[at++]! };
    return finished ? DONE : refill();
  };

  // Once a call waits on a refill, the calls after it queue behind it (rare: `for await` waits).
  const track = <R>(p: Promise<R>): Promise<R> => {
    busy = p;
    const clear = () => { if (busy === p) busy = undefined; };
    p.then(clear, clear);
    return p;
  };

  const close = async (): Promise<IteratorResult<T, undefined>> => {
    finished = true;
    items = [];
    await batches.return(undefined);
    return DONE;
  };

  const it: AsyncIterableIterator<T> = {
    [Symbol.asyncIterator]: () => it,
    next() {
      if (busy) return track(busy.then(step, step));
      const r = step();
      return r instanceof Promise ? track(r) : Promise.resolve(r);
    },
    return() {
      return busy ? track(busy.then(close, close)) : track(close());
    },
  };
  return it;
}
