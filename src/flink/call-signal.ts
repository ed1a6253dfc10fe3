/**
 * The abort signal one REST call runs under: it aborts when the caller's signal (the scrape's
 * deadline) aborts, with that signal's reason, or when the call's own timeout passes, with a
 * `TimeoutError` as AbortSignal.timeout() gives.
 *
 * This replaces `AbortSignal.any([caller, AbortSignal.timeout(ms)])` per call. A scrape makes
 * ~1,000 calls on one deadline signal: any() keeps weak references and a registry entry per
 * combined signal on it, and each timeout() timer stayed armed for its full 10 s after its call had
 * ended. Here a call costs one controller, one timer and one listener (the instance itself, via
 * handleEvent, so no closure), and end() clears the timer and takes the listener off the caller's
 * signal as soon as the call is over.
 */
export class CallSignal {
  readonly #controller = new AbortController();
  readonly #caller: AbortSignal | undefined;
  readonly #timer: ReturnType<typeof setTimeout> | undefined;
  #timedOut = false;

  constructor(timeoutMs: number, caller?: AbortSignal) {
    this.#caller = caller;
    if (caller?.aborted) {
      this.#controller.abort(caller.reason);
      return;
    }
    caller?.addEventListener('abort', this);
    // Unreferenced, as AbortSignal.timeout()'s timer is: a pending call alone does not keep the process up.
    this.#timer = setTimeout(timeUp, timeoutMs, this).unref();
  }

  /** Hand this to the request (and the body read it covers). */
  get signal(): AbortSignal {
    return this.#controller.signal;
  }

  /** The call's own timeout fired (before the caller's signal aborted, if it did at all). */
  get timedOut(): boolean {
    return this.#timedOut;
  }

  /** The caller's signal aborted (EventListener interface: the instance is its own listener). */
  handleEvent(): void {
    clearTimeout(this.#timer);
    this.#controller.abort(this.#caller?.reason);
  }

  /** @internal called by the timer */
  expire(): void {
    this.#caller?.removeEventListener('abort', this);
    if (this.#controller.signal.aborted) return;
    this.#timedOut = true;
    this.#controller.abort(new DOMException('The operation was aborted due to timeout', 'TimeoutError'));
  }

  /** The call is over: the timer and the listener go. Safe to call more than once. */
  end(): void {
    clearTimeout(this.#timer);
    this.#caller?.removeEventListener('abort', this);
  }
}

function timeUp(call: CallSignal): void {
  call.expire();
}
