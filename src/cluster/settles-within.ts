/**
 * Waits for `work` at most `ms`; true when it settled in time. Leaving the cluster must end even while Redis is
 * away, when a command or a close could otherwise wait for a reconnection forever.
 */
export async function settlesWithin(work: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<false>((resolve) => { timer = setTimeout(() => resolve(false), ms); });
  try {
    return await Promise.race([work.then(() => true, () => true), late]);
  } finally {
    clearTimeout(timer);
  }
}
