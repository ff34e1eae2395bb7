/**
 * A 2D scanner in USB keyboard mode types the code into the kiosk window, far faster than a person,
 * and ends it with Enter (kiosk-runtime.md "Keyboard-mode scanner"). A run of at least
 * `SCAN_MIN_CHARS` printable keys, each within `maxInterKeyMs` of the one before, ended by Enter, is a
 * scan; anything else is a person's typing.
 *
 * So that no field ever shows a scan's characters, not even for a moment, every printable key is held
 * back from the page when it arrives (its keydown is cancelled before any other listener sees it, so no
 * text is inserted either) and only given back once the run turns out to be a person's: a gap longer
 * than `maxInterKeyMs`, a key that is not printable, or an Enter after too short a run. A person's keys
 * therefore arrive a few tens of milliseconds late, in order; a scanner's never arrive at all.
 *
 * `createKeyRunDetector` is the decision alone (no DOM, time passed in); `attachKeyboardScanner` binds it
 * to a window's key events.
 */

/** Fewest printable characters a scan has (a print code is hundreds; a person's PIN is 6). */
export const SCAN_MIN_CHARS = 20;
/** A run longer than this is thrown away whole, as the serial scanner drops an over-long line. */
export const SCAN_MAX_CHARS = 4096;
/**
 * How long after the last key a held run is given back when no key follows. Longer than the
 * gap itself so that a key already queued behind a busy main thread is still seen as part of the run
 * (a kiosk PC under load delays key events by tens of milliseconds); short enough that a person
 * typing on a hardware keyboard barely notices.
 */
export const RELEASE_SLACK_MS = 150;
/**
 * Event times are coarsened by the browser (to 0.1 ms, with float error on top): a gap measured as
 * 30.1 ms between keys sent 30 ms apart is still within 30 ms.
 */
const TIME_GRAIN_MS = 0.5;

/** A key held back, to be given back as it came. */
export interface HeldKey<E = unknown> {
  key: string;
  /** The event's time (`KeyboardEvent.timeStamp`, ms). */
  at: number;
  /** Whatever the caller needs to give the key back (the DOM binding keeps the event's target). */
  origin: E;
}

export interface KeyRunDetectorOptions<E> {
  maxInterKeyMs: number;
  /** A scan's text (without the Enter). */
  onScan: (text: string) => void;
  /** Keys that turned out to be a person's, oldest first: deliver them as if they had just been typed. */
  onRelease: (keys: HeldKey<E>[]) => void;
  /** Timers (injected: tests and the DOM binding pass their own). */
  setTimer: (fn: () => void, ms: number) => unknown;
  clearTimer: (timer: unknown) => void;
  /** The clock the key times are read on (`performance.now()` for `KeyboardEvent.timeStamp`). */
  now: () => number;
}

/** What the detector did with a key: `held` (the caller must cancel it) or `pass` (let it through). */
export type KeyDecision = 'held' | 'pass';

export interface KeyRunDetector<E> {
  /**
   * A key press. `printable` keys are held; Enter ends a run (a scan when long and quick enough, and is
   * then `held`); any other key first gives back what is held, then passes.
   */
  key(key: string, at: number, origin: E): KeyDecision;
  /** Gives back whatever is held now (the screen changed, the detector is being detached). */
  flush(): void;
}

/** A single printable character, as `KeyboardEvent.key` gives it (not `Shift`, `Tab`, `ArrowUp`...). */
export function isPrintableKey(key: string): boolean {
  // One UTF-16 code unit, or one astral character; control characters are never typed text.
  return [...key].length === 1 && !/\p{Cc}/u.test(key);
}

export function createKeyRunDetector<E>(opts: KeyRunDetectorOptions<E>): KeyRunDetector<E> {
  let held: HeldKey<E>[] = [];
  /** The run was over-long: its keys are dropped and the rest of it is swallowed until it ends. */
  let dropping = false;
  let lastAt = Number.NEGATIVE_INFINITY;
  let timer: unknown;

  const release = (): void => {
    opts.clearTimer(timer);
    timer = undefined;
    dropping = false;
    if (held.length === 0) return;
    const keys = held;
    held = [];
    opts.onRelease(keys);
  };

  const armRelease = (): void => {
    opts.clearTimer(timer);
    const delay = opts.maxInterKeyMs + RELEASE_SLACK_MS;
    // The timer only wakes the detector up: the run is over when the keys' own clock says so (a
    // timer can fire before keys already stamped, but not yet delivered, reach the page).
    const wake = (): void => {
      const left = lastAt + delay - opts.now();
      if (left > 0) timer = opts.setTimer(wake, left);
      else release();
    };
    timer = opts.setTimer(wake, delay);
  };

  return {
    key(key, at, origin) {
      const quick = at - lastAt <= opts.maxInterKeyMs + TIME_GRAIN_MS;
      const running = held.length > 0 || dropping;
      if (running && !quick) release();
      lastAt = at;
      if (key === 'Enter') {
        if (dropping && quick) {
          release();
          return 'held';
        }
        if (quick && held.length >= SCAN_MIN_CHARS) {
          const text = held.map((k) => k.key).join('');
          held = [];
          opts.clearTimer(timer);
          timer = undefined;
          opts.onScan(text);
          return 'held';
        }
        release();
        return 'pass';
      }
      if (!isPrintableKey(key)) {
        release();
        return 'pass';
      }
      if (dropping) {
        armRelease();
        return 'held';
      }
      held.push({ key, at, origin });
      if (held.length > SCAN_MAX_CHARS) {
        // No person types 4,096 characters at a scanner's pace: machine input, dropped whole.
        held = [];
        dropping = true;
      }
      armRelease();
      return 'held';
    },
    flush: release,
  };
}

/** Events this module dispatched itself when giving keys back: let through untouched. */
const givenBack = new WeakSet<Event>();

export interface KeyboardScannerOptions {
  /** The scanner entry's `maxInterKeyMs` (10 to 100; default 30). */
  maxInterKeyMs: number;
  /** A scan: send it to the core as a scan intent. */
  onScan: (text: string) => void;
  /**
   * Whether the current screen takes scans (`home`, `error`, `done`, `survey`, `collect`,
   * `manual-entry`, `nik-entry`, `pin`). Elsewhere keys pass untouched. Default: always.
   */
  isActive?: () => boolean;
}

/**
 * Watches `win`'s key presses for keyboard-mode scans. Attach it before anything else listens to keys
 * (it listens in the capture phase of the window, which runs before every other listener on the page).
 * Returns a function that detaches it, giving back any keys still held.
 */
export function attachKeyboardScanner(win: Window, opts: KeyboardScannerOptions): () => void {
  const detector = createKeyRunDetector<EventTarget | null>({
    maxInterKeyMs: opts.maxInterKeyMs,
    onScan: opts.onScan,
    onRelease: (keys) => {
      for (const k of keys) giveBack(win, k);
    },
    setTimer: (fn, ms) => win.setTimeout(fn, ms),
    clearTimer: (t) => win.clearTimeout(t as number),
    now: () => win.performance.now(),
  });
  const listener = (event: KeyboardEvent): void => {
    if (givenBack.has(event)) return;
    if (event.isComposing || event.ctrlKey || event.altKey || event.metaKey) return;
    if (opts.isActive && !opts.isActive()) {
      detector.flush();
      return;
    }
    if (detector.key(event.key, event.timeStamp, event.target) === 'held') {
      event.preventDefault();
      event.stopImmediatePropagation();
    }
  };
  win.addEventListener('keydown', listener, { capture: true });
  return () => {
    win.removeEventListener('keydown', listener, { capture: true });
    detector.flush();
  };
}

/**
 * Delivers a held key as if typed now: a keydown to where it was aimed (or to what has the focus now,
 * if that element left the page), and, when nobody cancels it and it lands in a text field, its
 * character inserted as typing would.
 */
function giveBack(win: Window, k: HeldKey<EventTarget | null>): void {
  const doc = win.document;
  const aimed = k.origin instanceof Node && k.origin.isConnected ? k.origin : null;
  const target: EventTarget = aimed ?? doc.activeElement ?? doc.body;
  const event = new KeyboardEvent('keydown', { key: k.key, bubbles: true, cancelable: true, composed: true });
  givenBack.add(event);
  const notCancelled = target.dispatchEvent(event);
  if (!notCancelled) return;
  if (target instanceof HTMLInputElement || target instanceof HTMLTextAreaElement) {
    if (target.readOnly || target.disabled) return;
    // Inputs without a text selection (number, date...) refuse setRangeText: append there.
    try {
      const start = target.selectionStart ?? target.value.length;
      target.setRangeText(k.key, start, target.selectionEnd ?? start, 'end');
    } catch {
      target.value += k.key;
    }
    target.dispatchEvent(new InputEvent('input', { bubbles: true, data: k.key, inputType: 'insertText' }));
  }
}
