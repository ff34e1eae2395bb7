import { useRef } from 'preact/hooks';
import { formatTime } from '../../kiosk/maintenance/time-zone.ts';
import type { MaintenanceView } from '../../kiosk/maintenance/view-model.ts';
import type { Intent, View } from '../../kiosk/view.ts';
import { LanguageButton } from '../components/language-button.tsx';
import type { Translate } from '../i18n/translate.ts';
import './maintenance.css';
import type { MaintenanceIntent } from '../../kiosk/maintenance/intents.ts';
import { IncidentsBody, LedgerBody, LogBody, ReportBody } from './record-screens.tsx';
import {
  type BodyProps,
  Btn,
  ChecklistBody,
  ConfigBody,
  DevicesBody,
  HomeBody,
  LoginBody,
  Nav,
  OutboxBody,
  PinBody,
  type Send,
} from './screens.tsx';
import { mt } from './strings.ts';

/** Props of the maintenance screens: the whole View, the intent sender and the applicant translator. */
export interface MaintenanceScreenProps {
  view: View;
  send: (i: Intent) => void;
  t: Translate;
}

type Tr = (key: string, params?: Record<string, string | number>) => string;

/** Taps in the hidden corner that open the maintenance login, and the time they must fall within. */
const GESTURE_TAPS = 5;
const GESTURE_WINDOW_MS = 3000;

/**
 * The hidden entry to maintenance for the applicant screens (every one of them, out-of-service included):
 * a transparent corner button that sends `{ type: 'maintenance', action: 'enter' }` after five taps within
 * three seconds. The menu then asks for the technician's badge at the scanner.
 */
export function MaintenanceGesture(props: { send: (i: Intent) => void }) {
  const taps = useRef<number[]>([]);
  return (
    <button
      type="button"
      data-action="maintenance-entry"
      aria-label="Pemeliharaan / Maintenance"
      // Hidden from the applicant's keyboard and screen reader: a technician taps the corner.
      tabIndex={-1}
      aria-hidden="true"
      // Preact 11 no longer appends "px" to numbers: without units the corner had no size at all.
      style={{
        position: 'fixed',
        top: '0',
        right: '0',
        width: '64px',
        height: '64px',
        opacity: '0',
        border: '0',
        padding: '0',
      }}
      onClick={() => {
        const now = Date.now();
        taps.current = [...taps.current.filter((t) => now - t < GESTURE_WINDOW_MS), now];
        if (taps.current.length >= GESTURE_TAPS) {
          taps.current = [];
          props.send({ type: 'maintenance', action: 'enter' });
        }
      }}
    />
  );
}

function Notice(props: { m: MaintenanceView; tr: Tr }) {
  const n = props.m.notice;
  if (!n) return null;
  const params = { ...n.params };
  if (n.key === 'locked' && typeof params.until === 'number')
    params.until = formatTime(params.until, props.m.timeZone);
  return (
    <p
      class={n.kind === 'error' ? 'm-notice m-notice-error' : 'm-notice'}
      role={n.kind === 'error' ? 'alert' : 'status'}
      data-notice={n.key}
      data-kind={n.kind}
    >
      {props.tr(`notice.${n.key}`, params)}
    </p>
  );
}

function Body(props: { m: MaintenanceView; tr: Tr; send: Send; locale: View['locale'] }) {
  const { m } = props;
  // Each screen gets its own variant of the view; the switch is exhaustive.
  const p = <S extends MaintenanceView['screen']>(): BodyProps<S> => props as unknown as BodyProps<S>;
  switch (m.screen) {
    case 'maintenance-login':
      return <LoginBody {...p<'maintenance-login'>()} />;
    case 'maintenance-pin':
      return <PinBody {...p<'maintenance-pin'>()} />;
    case 'maintenance-home':
      return <HomeBody {...p<'maintenance-home'>()} />;
    case 'maintenance-checklist':
      return <ChecklistBody {...p<'maintenance-checklist'>()} />;
    case 'maintenance-incidents':
      return <IncidentsBody {...p<'maintenance-incidents'>()} />;
    case 'maintenance-devices':
      return <DevicesBody {...p<'maintenance-devices'>()} />;
    case 'maintenance-ledger':
      return <LedgerBody {...p<'maintenance-ledger'>()} />;
    case 'maintenance-outbox':
      return <OutboxBody {...p<'maintenance-outbox'>()} />;
    case 'maintenance-log':
      return <LogBody {...p<'maintenance-log'>()} />;
    case 'maintenance-config':
      return <ConfigBody {...p<'maintenance-config'>()} />;
    case 'maintenance-report':
      return <ReportBody {...p<'maintenance-report'>()} />;
    default: {
      const never: never = m;
      return never;
    }
  }
}

/**
 * Renders `view.maintenance` for every `maintenance-*` screen, `data-screen` on its root: the same blue
 * title bar and language switch as the applicant's screens, large touch targets, an on-screen keyboard
 * for every field and times in the kiosk's time zone.
 */
export function MaintenanceScreen(props: MaintenanceScreenProps) {
  const { view } = props;
  const m: MaintenanceView | undefined = 'maintenance' in view ? view.maintenance : undefined;
  const tr: Tr = (key, params) => mt(view.locale, key, params);
  // The screens name actions by string; the hosts validate every maintenance intent against its schema.
  const send: Send = (action, args) =>
    props.send({ type: 'maintenance', action, ...(args ? { args } : {}) } as MaintenanceIntent);
  const loggedIn = m !== undefined && 'technicianId' in m;
  return (
    <main data-screen={view.screen} class="screen maintenance" aria-busy={m?.busy === true}>
      <header class="topbar">
        <div class="brand">
          <h1 class="brand-title">{tr('title')}</h1>
          <span class="brand-office">
            {view.kioskId}
            {loggedIn && m && 'technicianId' in m && (
              <>
                {' · '}
                <span data-value="technician">{m.technicianId}</span>
              </>
            )}
          </span>
        </div>
        <LanguageButton locale={view.locale} t={props.t} send={props.send} />
      </header>
      <div class="m-bar">
        {m?.outOfService && (
          <strong class="m-oos" data-value="out-of-service">
            {tr('oos.state')}
          </strong>
        )}
        {m?.assistance && (
          <strong class="m-oos" data-value="assistance">
            {tr('assistance.open')}
          </strong>
        )}
        {loggedIn && m.assistance && (
          <Btn
            action="clear-assistance"
            label={tr('clear-assistance')}
            onClick={() => send('clear-assistance')}
          />
        )}
        {loggedIn && m.screen !== 'maintenance-home' && <Nav to="home" tr={tr} send={send} />}
        {loggedIn ? (
          <Btn action="logout" label={tr('logout')} onClick={() => send('exit')} />
        ) : (
          <Btn action="exit" label={tr('exit')} onClick={() => send('exit')} />
        )}
      </div>
      <div class="m-content">
        {m && <Notice m={m} tr={tr} />}
        {m && <Body m={m} tr={tr} send={send} locale={view.locale} />}
      </div>
    </main>
  );
}
