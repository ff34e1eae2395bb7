import { useLayoutEffect, useRef } from 'preact/hooks';

interface TypedKeyHandlers {
  accept: (key: string) => boolean;
  onKey: (key: string) => void;
  onBackspace: () => void;
  onSubmit: () => void;
}

/**
 * Lets a hardware keyboard (a technician's, or an accessibility keypad) type into the on-screen field:
 * accepted characters, Backspace and Enter. The listener is added once and reads the latest handlers
 * from a ref, because keys typed faster than a render must not reach a handler with stale state.
 */
export function useTypedKeys(handlers: TypedKeyHandlers): void {
  const latest = useRef(handlers);
  latest.current = handlers;
  // A layout effect: attached when the screen is committed, so keys typed at once are not lost.
  useLayoutEffect(() => {
    const listener = (event: KeyboardEvent) => {
      if (event.ctrlKey || event.altKey || event.metaKey) return;
      const { accept, onKey, onBackspace, onSubmit } = latest.current;
      if (event.key === 'Backspace') {
        event.preventDefault();
        onBackspace();
        return;
      }
      if (event.key === 'Enter') {
        // Enter on a focused button activates that button; only a bare Enter submits the field.
        if (event.target instanceof HTMLButtonElement) return;
        event.preventDefault();
        onSubmit();
        return;
      }
      const key = event.key.length === 1 ? event.key.toUpperCase() : '';
      if (key && accept(key)) {
        event.preventDefault();
        onKey(key);
      }
    };
    window.addEventListener('keydown', listener);
    return () => window.removeEventListener('keydown', listener);
  }, []);
}
