import { useRef, useState } from 'preact/hooks';

/**
 * A typed value kept in a ref (read by handlers at once, even between renders) and mirrored in state
 * (to render). Taps and key presses can come faster than Preact renders.
 */
export function useTypedValue(): [get: () => string, set: (value: string) => void, shown: string] {
  const ref = useRef('');
  const [shown, setShown] = useState('');
  return [
    () => ref.current,
    (value) => {
      ref.current = value;
      setShown(value);
    },
    shown,
  ];
}
