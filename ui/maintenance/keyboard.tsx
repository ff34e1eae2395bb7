import { useState } from 'preact/hooks';

/** What a field takes: the on-screen keyboard shows the keys for it (numeric where it is a number). */
export type FieldKind = 'count' | 'delta' | 'pin' | 'day' | 'text';

/** One field of an action form. */
export interface FieldSpec {
  name: string;
  /** A string key of `strings.ts`. */
  label: string;
  kind: FieldKind;
}

type Tr = (key: string, params?: Record<string, string | number>) => string;

const DIGITS = ['1', '2', '3', '4', '5', '6', '7', '8', '9', '0'];
const LETTERS = 'QWERTYUIOPASDFGHJKLZXCVBNM'.split('');
const KEYS: Record<FieldKind, string[]> = {
  count: DIGITS,
  pin: DIGITS,
  delta: [...DIGITS, '-'],
  day: [...DIGITS, '-'],
  text: [...DIGITS, ...LETTERS, ' ', '-', '/', '.', ','],
};
const MAX_LENGTH: Record<FieldKind, number> = { count: 5, pin: 12, delta: 6, day: 10, text: 200 };

/** The value a field sends: numbers as numbers, the rest as typed. */
function argOf(kind: FieldKind, value: string): string | number {
  return kind === 'count' || kind === 'delta' ? Number(value) : kind === 'text' ? value.trim() : value;
}

function keyLabel(tr: Tr, key: string): string {
  return key === ' ' ? tr('kb.space') : key;
}

/**
 * A form of one action, for a touch screen with no keyboard: its fields, the on-screen keyboard of the
 * field being filled (tap a field to fill it), and one submit button carrying `data-action`. A hardware
 * keyboard still types into the fields. The PIN field shows dots.
 */
export function ActionForm(props: {
  action: string;
  submitLabel: string;
  tr: Tr;
  fields: FieldSpec[];
  onSubmit: (args: Record<string, string | number>) => void;
  disabled?: boolean;
}) {
  const { action, tr, fields } = props;
  const [values, setValues] = useState<Record<string, string>>({});
  const [focused, setFocused] = useState(fields[0]?.name);
  const field = fields.find((f) => f.name === focused) ?? fields[0];
  const set = (name: string, kind: FieldKind, v: string) =>
    setValues((old) => ({ ...old, [name]: v.slice(0, MAX_LENGTH[kind]) }));
  // The on-screen keyboard below types into the field; no system keyboard pops up over the screen.
  const inputOf = (f: FieldSpec) => ({
    id: `${action}-${f.name}`,
    name: f.name,
    inputMode: 'none' as const,
    autocomplete: 'off',
    value: values[f.name] ?? '',
    onFocus: () => setFocused(f.name),
    onClick: () => setFocused(f.name),
    onInput: (e: Event) => set(f.name, f.kind, (e.currentTarget as HTMLInputElement).value),
  });
  const complete = fields.every((f) => (values[f.name] ?? '').trim() !== '');
  const submit = () => {
    if (!complete) return;
    const args: Record<string, string | number> = {};
    for (const f of fields) args[f.name] = argOf(f.kind, values[f.name] ?? '');
    props.onSubmit(args);
    setValues({});
    setFocused(fields[0]?.name);
  };
  return (
    <form
      class="m-form"
      data-form={action}
      onSubmit={(e) => {
        e.preventDefault();
        submit();
      }}
    >
      <div class="m-fields">
        {fields.map((f) => (
          <div class={f.name === field?.name ? 'm-field m-field-active' : 'm-field'} key={f.name}>
            <label for={`${action}-${f.name}`}>{tr(f.label)}</label>
            {f.kind === 'pin' ? (
              <input type="password" {...inputOf(f)} />
            ) : (
              <input type="text" {...inputOf(f)} />
            )}
          </div>
        ))}
      </div>
      {field && (
        <fieldset
          class={field.kind === 'text' ? 'm-keyboard m-keyboard-text' : 'm-keyboard'}
          data-keyboard={field.kind}
        >
          <legend class="m-sr">{`${tr('kb.label')}: ${tr(field.label)}`}</legend>
          {KEYS[field.kind].map((k) => (
            <button
              type="button"
              class={k === ' ' ? 'm-key m-key-space' : 'm-key'}
              key={k}
              data-key={k}
              aria-label={k === '-' ? tr('kb.minus') : undefined}
              onClick={() => set(field.name, field.kind, (values[field.name] ?? '') + k)}
            >
              {keyLabel(tr, k)}
            </button>
          ))}
          <button
            type="button"
            class="m-key m-key-wide"
            data-key="backspace"
            onClick={() => set(field.name, field.kind, (values[field.name] ?? '').slice(0, -1))}
          >
            ⌫ {tr('kb.backspace')}
          </button>
        </fieldset>
      )}
      <button
        type="submit"
        class="m-btn m-btn-primary"
        data-action={action}
        disabled={props.disabled || !complete}
      >
        {props.submitLabel}
      </button>
    </form>
  );
}
