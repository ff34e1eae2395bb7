import type { MaintenanceExport, MaintenanceSection } from '../../kiosk/maintenance/intents.ts';
import { formatTime } from '../../kiosk/maintenance/time-zone.ts';
import type { MaintenanceView } from '../../kiosk/maintenance/view-model.ts';
import type { Locale } from '../../kiosk/view.ts';
import { ActionForm, type FieldSpec } from './keyboard.tsx';

export type Tr = (key: string, params?: Record<string, string | number>) => string;
/** Sends one maintenance action with its (already typed) arguments. */
export type Send = (action: string, args?: Record<string, unknown>) => void;

/** What every screen body gets. */
export interface BodyProps<S extends MaintenanceView['screen']> {
  m: Extract<MaintenanceView, { screen: S }>;
  tr: Tr;
  send: Send;
  locale: Locale;
}

/** A touch button carrying `data-action`. */
export function Btn(props: {
  action: string;
  label: string;
  onClick: () => void;
  disabled?: boolean;
  primary?: boolean;
}) {
  return (
    <button
      type="button"
      class={props.primary ? 'm-btn m-btn-primary' : 'm-btn'}
      data-action={props.action}
      disabled={props.disabled}
      onClick={props.onClick}
    >
      {props.label}
    </button>
  );
}

/** A moment in the screen's time zone. */
export const time = (m: { timeZone: string }, ms: number) => formatTime(ms, m.timeZone);

export function Nav(props: { to: MaintenanceSection; tr: Tr; send: Send }) {
  return (
    <Btn
      action={`navigate-${props.to}`}
      label={props.tr(`nav.${props.to}`)}
      onClick={() => props.send('navigate', { to: props.to })}
    />
  );
}

export function Export(props: {
  what: MaintenanceExport;
  tr: Tr;
  send: Send;
  day?: string;
  disabled?: boolean;
}) {
  return (
    <Btn
      action={`export-${props.what}`}
      label={props.tr(`export.${props.what}`)}
      disabled={props.disabled}
      onClick={() => props.send('export', { what: props.what, ...(props.day ? { day: props.day } : {}) })}
    />
  );
}

export function Form(props: {
  action: string;
  tr: Tr;
  send: Send;
  fields: FieldSpec[];
  extra?: Record<string, unknown>;
  label?: string;
}) {
  return (
    <ActionForm
      action={props.action}
      submitLabel={props.tr(props.label ?? props.action)}
      tr={props.tr}
      fields={props.fields}
      onSubmit={(args) => props.send(props.action, { ...props.extra, ...args })}
    />
  );
}

export function LoginBody({ m, tr }: BodyProps<'maintenance-login'>) {
  return (
    <section class="m-section" aria-labelledby="m-login-title">
      <h2 id="m-login-title">{tr('login.title')}</h2>
      <div class="m-badge-art" aria-hidden="true">
        <svg viewBox="0 0 120 120" width="200" height="200" role="presentation">
          <rect
            x="22"
            y="10"
            width="76"
            height="100"
            rx="10"
            fill="none"
            stroke="currentColor"
            stroke-width="6"
          />
          <circle cx="60" cy="45" r="14" fill="currentColor" />
          <rect x="38" y="70" width="44" height="8" rx="4" fill="currentColor" />
          <rect x="44" y="86" width="32" height="8" rx="4" fill="currentColor" />
        </svg>
      </div>
      <p class="m-lead">{tr('login.hint')}</p>
      {m.resumed && <p class="m-warn">{tr('login.resumed')}</p>}
      {m.lockedUntil !== undefined && <p data-locked-until={m.lockedUntil}>{time(m, m.lockedUntil)}</p>}
    </section>
  );
}

export function PinBody({ m, tr, send }: BodyProps<'maintenance-pin'>) {
  return (
    <section class="m-section" aria-labelledby="m-pin-title">
      <h2 id="m-pin-title">{tr('pin.title')}</h2>
      <p class="m-lead" data-value="technician-id">
        {m.pin.technicianId}
      </p>
      {m.pin.attemptsLeft !== undefined && <p data-attempts-left={m.pin.attemptsLeft} />}
      <Form
        action="pin"
        label="submit"
        tr={tr}
        send={send}
        fields={[{ name: 'pin', label: 'pin.label', kind: 'pin' }]}
      />
    </section>
  );
}

export function HomeBody({ m, tr, send }: BodyProps<'maintenance-home'>) {
  const h = m.home;
  return (
    <section class="m-section">
      <dl class="m-facts">
        <dt>{tr('home.cards')}</dt>
        <dd data-value="cards-remaining">{h.cardsRemaining}</dd>
        <dt>{tr('home.sheets')}</dt>
        <dd data-value="sheets-remaining">{h.sheetsRemaining}</dd>
        <dt>{tr('home.outbox')}</dt>
        <dd data-value="pending-outbox">{h.pendingOutbox}</dd>
        <dt>{tr('home.incidents')}</dt>
        <dd data-value="open-incidents" class={h.openIncidents > 0 ? 'm-bad' : undefined}>
          {h.openIncidents}
        </dd>
      </dl>
      <nav class="m-grid" aria-label={tr('title')}>
        {(['checklist', 'incidents', 'devices', 'ledger', 'outbox', 'log', 'report', 'config'] as const).map(
          (to) => (
            <Nav key={to} to={to} tr={tr} send={send} />
          ),
        )}
      </nav>
      <div class="m-row">
        {m.outOfService ? (
          <Btn
            action="out-of-service-off"
            label={tr('oos.off')}
            primary
            onClick={() => send('out-of-service', { on: false })}
          />
        ) : (
          <Btn
            action="out-of-service-on"
            label={tr('oos.on')}
            onClick={() => send('out-of-service', { on: true })}
          />
        )}
        <Btn action="restart" label={tr('restart')} onClick={() => send('restart')} />
      </div>
    </section>
  );
}

export function ChecklistBody({ m, tr, send }: BodyProps<'maintenance-checklist'>) {
  const k = m.checklist;
  const row = (label: string, value: string, ok: boolean, key: string) => (
    <tr data-check={key} class={ok ? undefined : 'm-bad'}>
      <th scope="row">{label}</th>
      <td>{value}</td>
      <td>{ok ? '✔' : '✖'}</td>
    </tr>
  );
  return (
    <section class="m-section" aria-labelledby="m-checklist-title">
      <h2 id="m-checklist-title">{tr('checklist.title')}</h2>
      <table class="m-table" data-table="supplies">
        <thead>
          <tr>
            <th scope="col">{tr('checklist.supply')}</th>
            <th scope="col">{tr('checklist.left')}</th>
            <th scope="col">{tr('checklist.expected')}</th>
            <th scope="col">{tr('checklist.enough')}</th>
          </tr>
        </thead>
        <tbody>
          {k.supplies.map((s) => (
            <tr key={s.item} data-supply={s.item} class={s.enough ? undefined : 'm-bad'}>
              <th scope="row">{tr(`checklist.${s.item}`)}</th>
              <td>{s.left ?? '-'}</td>
              <td>{s.expectedToday}</td>
              <td>{tr(s.enough ? 'checklist.enough' : 'checklist.short')}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <table class="m-table" data-table="checks">
        <tbody>
          {row(
            tr('checklist.head'),
            tr(k.headCleaning.due ? 'checklist.head-due' : 'checklist.head-ok', {
              n: k.headCleaning.cardsSince,
              every: k.headCleaning.every,
            }),
            !k.headCleaning.due,
            'head',
          )}
          {row(tr('checklist.incidents'), String(k.openIncidents), k.openIncidents === 0, 'incidents')}
          {row(tr('checklist.outbox'), String(k.outboxPending), k.outboxPending === 0, 'outbox')}
          {row(tr('checklist.clock'), time(m, k.clock), true, 'clock')}
          {k.disk &&
            row(tr('checklist.disk'), `${Math.floor(k.disk.freeBytes / 1_048_576)} MB`, k.disk.ok, 'disk')}
          {row(
            tr('checklist.last'),
            k.lastCompletedSession ? time(m, k.lastCompletedSession) : tr('checklist.none'),
            true,
            'last',
          )}
        </tbody>
      </table>
      <div class="m-row">
        <Btn
          action="test-print-both"
          label={tr('test-print-both')}
          primary
          disabled={m.busy}
          onClick={() => send('test-print-both')}
        />
        <Btn action="head-cleaned" label={tr('head-cleaned')} onClick={() => send('head-cleaned')} />
        <Nav to="incidents" tr={tr} send={send} />
        <Nav to="home" tr={tr} send={send} />
      </div>
    </section>
  );
}

export function DevicesBody({ m, tr, send }: BodyProps<'maintenance-devices'>) {
  const d = m.devices;
  const busy = m.busy === true;
  return (
    <section class="m-section">
      <h2>{tr('devices.card')}</h2>
      {d.card ? (
        <dl class="m-facts" data-device="card">
          <dt>{tr('devices.state')}</dt>
          <dd data-value="card-state" class={d.card.state === 'READY' ? undefined : 'm-bad'}>
            {d.card.state}
          </dd>
          <dt>{tr('devices.ribbon')}</dt>
          <dd>{d.card.ribbonPanelsLeft ?? '-'}</dd>
          <dt>{tr('devices.counters')}</dt>
          <dd data-value="card-counters">
            {d.card.counters ? `${d.card.counters.total} / ${d.card.counters.spoiled}` : '-'}
          </dd>
          <dt>{tr('home.cards')}</dt>
          <dd data-value="cards-remaining">{d.cardsRemaining}</dd>
          <dt>{tr('devices.model')}</dt>
          <dd>{[d.card.model, d.card.serial, d.card.firmware].filter(Boolean).join(' · ') || '-'}</dd>
        </dl>
      ) : (
        <p>{tr('devices.none')}</p>
      )}
      <div class="m-row">
        <Btn
          action="test-print-card"
          label={tr('test-print-card')}
          disabled={busy}
          onClick={() => send('test-print-card')}
        />
        <Btn
          action="clear-fault"
          label={tr('clear-fault')}
          disabled={busy}
          onClick={() => send('clear-fault')}
        />
        <Btn
          action="reset-card-printer"
          label={tr('reset-card-printer')}
          disabled={busy}
          onClick={() => send('reset-card-printer')}
        />
      </div>
      <h2>{tr('devices.paper')}</h2>
      {d.paper ? (
        <dl class="m-facts" data-device="paper">
          <dt>{tr('devices.state')}</dt>
          <dd data-value="paper-state" class={d.paper.state === 'READY' ? undefined : 'm-bad'}>
            {d.paper.state}
          </dd>
          <dt>{tr('home.sheets')}</dt>
          <dd data-value="sheets-remaining">{d.sheetsRemaining}</dd>
        </dl>
      ) : (
        <p>{tr('devices.none')}</p>
      )}
      <div class="m-row">
        <Btn
          action="test-print-a4"
          label={tr('test-print-a4')}
          disabled={busy}
          onClick={() => send('test-print-a4')}
        />
        <Btn action="refresh" label={tr('refresh')} onClick={() => send('refresh')} />
      </div>
      <h2>{tr('devices.faults')}</h2>
      <ul data-list="recent-faults">
        {d.recentFaults.map((f) => (
          <li key={`${f.at}-${f.device}-${f.state}`}>
            {time(m, f.at)} {f.device} {f.state}
          </li>
        ))}
      </ul>
    </section>
  );
}

export function OutboxBody({ m, tr, send }: BodyProps<'maintenance-outbox'>) {
  return (
    <section class="m-section">
      <Btn
        action="send-now"
        label={tr('send-now')}
        primary
        disabled={m.busy}
        onClick={() => send('send-now')}
      />
      {m.outbox.pending.length === 0 ? (
        <p>{tr('outbox.empty')}</p>
      ) : (
        <ul data-list="outbox">
          {m.outbox.pending.map((o) => (
            <li key={o.id}>
              {time(m, o.createdAt)} {o.kind} {o.applicationNo ?? ''} ×{o.attempts} {o.lastError ?? ''}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

export function ConfigBody({ m }: BodyProps<'maintenance-config'>) {
  return (
    <section class="m-section">
      <pre class="m-pre" data-value="config">
        {JSON.stringify(m.config, null, 2)}
      </pre>
    </section>
  );
}
