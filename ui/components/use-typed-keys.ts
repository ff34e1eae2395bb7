import { useEffect } from 'preact/hooks';

/**
 * Lets a hardware keyboard (a technician's, or an accessibility keypad) type into the on-screen field:
 * accepted characters, Backspace and Enter. Keys typed while a button has focus still reach the button.
 */
export function useTypedKeys(
  accept: (key: string) => boolean,
  onKey: (key: string) => void,
  onBackspace: () => void,
  onSubmit: () => void,
): void {
  useEffect(() => {
    const listener = (event: KeyboardEvent) => {
      if (event.ctrlKey || event.altKey || event.metaKey) return;
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
  }, [accept, onKey, onBackspace, onSubmit]);
}
