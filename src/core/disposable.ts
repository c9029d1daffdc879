/** Something that can be undone: a registration, a subscription. */
export interface Disposable {
  dispose(): void;
}

export function disposable(fn: () => void): Disposable {
  let done = false;
  return {
    dispose() {
      if (done) return;
      done = true;
      fn();
    },
  };
}
