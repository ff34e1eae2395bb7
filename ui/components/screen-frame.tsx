import type { ComponentChildren } from 'preact';
import { useLayoutEffect, useRef } from 'preact/hooks';
import type { Intent, Screen, View } from '../../kiosk/view.ts';
import type { Translate } from '../i18n/translate.ts';
import { MaintenanceGesture } from '../maintenance/index.tsx';
import type { SpokenLine } from '../speech/speaker.ts';
import { useSpokenGuidance } from '../speech/use-spoken-guidance.ts';
import { HelperBar } from './helper-bar.tsx';
import { Icon, type IconName } from './icon.tsx';
import { ReferencePanel } from './reference-panel.tsx';

interface ScreenFrameProps {
  screen: Screen;
  view: View;
  t: Translate;
  send: (intent: Intent) => void;
  /** `data-reason` of the `error` screen. */
  reason?: string;
  /** `busy` screens (checking, printing) tell assistive tools they are working. */
  busy?: boolean;
  /** `calm` for news that is not a failure (`not-ready`), `alert` for a failure. */
  tone?: 'calm' | 'alert';
  /** The picture in the upper third, above the title. */
  icon?: IconName;
  /** The title (the `h1`). */
  title: SpokenLine;
  /** What to do now: shown under the title, and spoken after it. */
  instruction: SpokenLine[];
  /** Said after the instruction, shown by the screen itself (the name on `confirm`). */
  speakAlso?: SpokenLine[];
  /** Shown in the upper third under the instruction (a camera preview, a picture); never a button. */
  upper?: ComponentChildren;
  /** The screen's own buttons, just above the helpers. */
  actions?: ComponentChildren;
  /** The screen's body, between the upper third and the actions; it scrolls when it must. */
  children?: ComponentChildren;
}

/** The text of a line in the current language. */
export function lineText(line: SpokenLine, t: Translate): string {
  return 'free' in line ? line.free : t(line.key, line.params);
}

/**
 * The root of every applicant screen (`data-screen`, `data-spoken`). The upper third holds the title,
 * the instruction and pictures, never a button; below come the body, the screen's actions, the open
 * call for staff and the helpers, within reach of someone seated. Where the View carries the session
 * reference, it is shown (and said) on every screen that has it. Large text is set on the root by `App`.
 */
export function ScreenFrame(props: ScreenFrameProps) {
  const { screen, view, t, send, reason, busy, tone, icon, title, instruction, children } = props;
  const reference = view.reference;
  const spoken: SpokenLine[] = [
    title,
    ...instruction,
    ...(props.speakAlso ?? []),
    ...(reference ? [{ key: 'reference.spoken', params: { reference } }] : []),
  ];
  const onClickCapture = useSpokenGuidance(Boolean(view.audio), view.locale, spoken, view.volume);
  const largeText = Boolean(view.largeText);

  const body = useScrollableFocus();

  const classes = ['screen', `screen-${screen}`, tone ? `tone-${tone}` : ''].filter(Boolean).join(' ');
  return (
    <main
      class={classes}
      data-screen={screen}
      data-reason={reason}
      data-spoken={spoken.map((line) => lineText(line, t)).join(' ')}
      aria-busy={busy}
      onClickCapture={onClickCapture}
    >
      <div class="upper">
        {/* The technician's hidden corner, on every applicant screen (out-of-service included). */}
        <MaintenanceGesture send={send} />
        <header class="topbar">
          <span class="brand-title">{t('app.title')}</span>
          <span class="brand-office">{t('app.office')}</span>
        </header>
        <div class="intro">
          {icon && <Icon name={icon} class="intro-icon" />}
          <h1 aria-live={busy ? 'polite' : undefined}>{lineText(title, t)}</h1>
          {instruction.map((line) => (
            <p class="instruction" key={'key' in line ? line.key : line.free}>
              {lineText(line, t)}
            </p>
          ))}
          {props.upper}
        </div>
      </div>
      <div class="body" ref={body}>
        {reference && <ReferencePanel reference={reference} t={t} />}
        {children}
      </div>
      {props.actions && <div class="actions">{props.actions}</div>}
      {/* The live region is always there, so its news is announced when it comes. */}
      <div class="assistance-slot" role="status">
        {view.assistance === 'requested' && (
          <p class="assistance" data-assistance="requested">
            <Icon name="call-staff" />
            {t('assistance.requested')}
          </p>
        )}
      </div>
      <HelperBar
        locale={view.locale}
        audio={Boolean(view.audio)}
        {...(view.volume !== undefined ? { volume: view.volume } : {})}
        largeText={largeText}
        t={t}
        send={send}
      />
    </main>
  );
}

/**
 * The body scrolls when its content is taller than the screen (large text): then it takes the keyboard
 * focus, so someone without touch can scroll it too (WCAG 2.1.1); otherwise it stays out of the tab order.
 */
function useScrollableFocus() {
  const ref = useRef<HTMLDivElement>(null);
  useLayoutEffect(() => {
    const el = ref.current;
    if (!el) return;
    const update = () => {
      if (el.scrollHeight > el.clientHeight) el.tabIndex = 0;
      else el.removeAttribute('tabindex');
    };
    update();
    const observer = new ResizeObserver(update);
    observer.observe(el);
    for (const child of el.children) observer.observe(child);
    return () => observer.disconnect();
  });
  return ref;
}
