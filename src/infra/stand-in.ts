/**
 * How long a read of the database gets before a recent answer stands in for it. The embedded
 * database has one connection: a long unit of work (a CSV import of every row or none) holds it, and
 * a request that only needs to know who is asking must not wait for it to end.
 */
const STAND_IN_AFTER_MS = 200;

/**
 * The database's answer when it comes within `STAND_IN_AFTER_MS`, else `recent` (an answer this node
 * read lately and keeps current from the change bus). The read goes on either way, so its answer
 * refreshes the caller's cache when the database is free again. Without a recent answer, it waits.
 */
export async function freshOrRecent<T>(read: Promise<T>, recent: { value: T } | undefined): Promise<T> {
  if (!recent) return read;
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<{ value: T }>((resolve) => {
    timer = setTimeout(() => resolve(recent), STAND_IN_AFTER_MS);
  });
  try {
    const first = await Promise.race([read.then((value) => ({ value })), late]);
    return first.value;
  } finally {
    clearTimeout(timer);
    // The read's outcome is its caller's (it refreshes or drops the cache entry); never unhandled here.
    read.catch(() => undefined);
  }
}
