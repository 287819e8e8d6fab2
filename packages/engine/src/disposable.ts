/**
 * The one way the engine and the agent hand out something that must be let
 * go (a socket, stream, exec, watch, timer or reservation), as xterm.js does:
 * the holder gets a `Disposable` and exactly one owner calls `dispose()`.
 * Disposing twice is harmless.
 */
export interface Disposable {
  dispose(): void;
}

/** A Disposable that runs `release` once, however often it is disposed. */
export function toDisposable(release: () => void): Disposable {
  let disposed = false;
  return {
    dispose() {
      if (disposed) return;
      disposed = true;
      release();
    },
  };
}

/**
 * Several disposables released together, last added first; what is added
 * after the store was disposed is disposed at once.
 */
export class DisposableStore implements Disposable {
  private readonly held: Disposable[] = [];
  private disposed = false;

  add<T extends Disposable>(disposable: T): T {
    if (this.disposed) disposable.dispose();
    else this.held.push(disposable);
    return disposable;
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    for (const disposable of this.held.splice(0).reverse()) disposable.dispose();
  }
}
