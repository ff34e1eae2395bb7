import { useRef } from 'preact/hooks';
import type { MaintenanceView } from '../../kiosk/maintenance/view-model.ts';
import type { Intent, View } from '../../kiosk/view.ts';
import { mt } from './strings.ts';

/** Props of the maintenance screens: the whole View, the intent sender and the applicant translator. */
export interface MaintenanceScreenProps {
  view: View;
  send: (i: Intent) => void;
  t: (key: string, params?: Record<string, string | number>) => string;
}

type Send = (action: string, args?: Record<string, unknown>) => void;
type Tr = (key: string, params?: Record<string, string | number>) => string;

/** Taps in the hidden corner that open the maintenance login, and the time they must fall within. */
const GESTURE_TAPS = 5;
const GESTURE_WINDOW_MS = 3000;

function wib(ms: number): string {
  return new Date(ms + 7 * 3_600_000).toISOString().slice(0, 16).replace('T', ' ') + ' WIB';
}

/**
 * The hidden entry to maintenance for the applicant screens: a transparent corner button that sends
 * `{ type: 'maintenance', action: 'enter' }` after five taps within three seconds.
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

function formArgs(form: HTMLFormElement): Record<string, string> {
  const out: Record<string, string> = {};
  for (const el of Array.from(form.elements)) {
    const input = el as HTMLInputElement;
    if (input.name) out[input.name] = input.value;
  }
  return out;
}

/** A small form: its fields, then one submit button carrying `data-action`. */
function ActionForm(props: {
  action: string;
  tr: Tr;
  send: Send;
  fields: Array<{
    name: string;
    label: string;
    type?: 'text' | 'password' | 'date';
    inputMode?: 'numeric' | 'text';
  }>;
  extra?: Record<string, unknown>;
  disabled?: boolean;
}) {
  return (
    <form
      data-form={props.action}
      onSubmit={(e) => {
        e.preventDefault();
        const form = e.currentTarget as HTMLFormElement;
        props.send(props.action, { ...props.extra, ...formArgs(form) });
        form.reset();
      }}
    >
      {props.fields.map((f) => (
        <span key={f.name}>
          <label for={`${props.action}-${f.name}`}>{props.tr(f.label)}</label>{' '}
          {f.type === 'password' ? (
            <input
              id={`${props.action}-${f.name}`}
              name={f.name}
              type="password"
              inputMode="numeric"
              autocomplete="off"
            />
          ) : f.type === 'date' ? (
            <input id={`${props.action}-${f.name}`} name={f.name} type="date" />
          ) : (
            <input
              id={`${props.action}-${f.name}`}
              name={f.name}
              type="text"
              inputMode={f.inputMode ?? 'text'}
              autocomplete="off"
            />
          )}
        </span>
      ))}
      <button type="submit" data-action={props.action} disabled={props.disabled}>
        {props.tr(props.action)}
      </button>
    </form>
  );
}

function Btn(props: {
  action: string;
  label: string;
  send: Send;
  args?: Record<string, unknown>;
  disabled?: boolean;
}) {
  return (
    <button
      type="button"
      data-action={props.action}
      disabled={props.disabled}
      onClick={() => props.send(props.action, props.args)}
    >
      {props.label}
    </button>
  );
}

function Notice(props: { m: MaintenanceView; tr: Tr }) {
  const n = props.m.notice;
  if (!n) return null;
  const params = { ...n.params };
  if (n.key === 'locked' && typeof params.until === 'number') params.until = wib(params.until);
  return (
    <p role={n.kind === 'error' ? 'alert' : 'status'} data-notice={n.key} data-kind={n.kind}>
      {props.tr(`notice.${n.key}`, params)}
    </p>
  );
}

function Totals(props: { tr: Tr; label: string; t: NonNullable<MaintenanceView['ledger']>['cards'] }) {
  const keys = ['loaded', 'printed', 'spoiled', 'removed', 'corrected', 'remaining'] as const;
  return (
    <table data-ledger={props.label}>
      <caption>{props.tr(`ledger.${props.label}`)}</caption>
      <tbody>
        {keys.map((k) => (
          <tr key={k}>
            <th scope="row">{props.tr(`ledger.${k}`)}</th>
            <td data-total={k}>{props.t[k]}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function Body(props: { m: MaintenanceView; tr: Tr; send: Send }) {
  const { m, tr, send } = props;
  const busy = m.busy === true;
  const nav = (to: string) => (
    <Btn key={to} action={`navigate-${to}`} label={tr(`nav.${to}`)} send={() => send('navigate', { to })} />
  );
  const back = (
    <Btn action="navigate-home" label={tr('back')} send={() => send('navigate', { to: 'home' })} />
  );
  switch (m.screen) {
    case 'maintenance-login':
      return (
        <section>
          <h2>{tr('login.title')}</h2>
          <p>{tr('login.hint')}</p>
          {m.lockedUntil === undefined || m.lockedUntil <= 0 ? null : <p data-locked-until={m.lockedUntil} />}
          <ActionForm
            action="login"
            tr={(k) => (k === 'login' ? tr('next') : tr(k))}
            send={send}
            fields={[{ name: 'technicianId', label: 'login.id' }]}
          />
        </section>
      );
    case 'maintenance-pin':
      return (
        <section>
          <h2>{tr('pin.title')}</h2>
          <p>{m.pin?.technicianId}</p>
          {m.pin?.attemptsLeft !== undefined && <p data-attempts-left={m.pin.attemptsLeft} />}
          <ActionForm
            action="pin"
            tr={(k) => (k === 'pin' ? tr('submit') : tr(k))}
            send={send}
            fields={[{ name: 'pin', label: 'pin.label', type: 'password', inputMode: 'numeric' }]}
          />
        </section>
      );
    case 'maintenance-home':
      return (
        <section>
          {m.home && (
            <dl>
              <dt>{tr('home.cards')}</dt>
              <dd data-value="cards-remaining">{m.home.cardsRemaining}</dd>
              <dt>{tr('home.sheets')}</dt>
              <dd data-value="sheets-remaining">{m.home.sheetsRemaining}</dd>
              <dt>{tr('home.outbox')}</dt>
              <dd data-value="pending-outbox">{m.home.pendingOutbox}</dd>
              <dt>{tr('home.incidents')}</dt>
              <dd data-value="open-incidents">{m.home.openIncidents}</dd>
            </dl>
          )}
          <nav>{['devices', 'ledger', 'outbox', 'log', 'config', 'report'].map(nav)}</nav>
          {m.outOfService ? (
            <Btn
              action="out-of-service-off"
              label={tr('oos.off')}
              send={() => send('out-of-service', { on: false })}
            />
          ) : (
            <Btn
              action="out-of-service-on"
              label={tr('oos.on')}
              send={() => send('out-of-service', { on: true })}
            />
          )}
          <Btn action="restart" label={tr('restart')} send={send} />
        </section>
      );
    case 'maintenance-devices': {
      const d = m.devices;
      return (
        <section>
          {back}
          <Btn action="refresh" label={tr('refresh')} send={send} />
          <h2>{tr('devices.card')}</h2>
          {d?.card ? (
            <dl data-device="card">
              <dt>{tr('devices.state')}</dt>
              <dd data-value="card-state">{d.card.state}</dd>
              <dt>{tr('devices.ribbon')}</dt>
              <dd>{d.card.ribbonPanelsLeft ?? '-'}</dd>
              <dt>{tr('devices.counters')}</dt>
              <dd data-value="card-counters">
                {d.card.counters ? `${d.card.counters.total} / ${d.card.counters.spoiled}` : '-'}
              </dd>
              <dt>{tr('home.cards')}</dt>
              <dd data-value="cards-remaining">{d.cardsRemaining}</dd>
              <dd>{[d.card.model, d.card.serial, d.card.firmware].filter(Boolean).join(' · ')}</dd>
            </dl>
          ) : (
            <p>{tr('devices.none')}</p>
          )}
          <Btn action="test-print-card" label={tr('test-print-card')} send={send} disabled={busy} />
          <Btn action="clear-fault" label={tr('clear-fault')} send={send} disabled={busy} />
          <Btn action="reset-card-printer" label={tr('reset-card-printer')} send={send} disabled={busy} />
          <h2>{tr('devices.paper')}</h2>
          {d?.paper ? (
            <dl data-device="paper">
              <dt>{tr('devices.state')}</dt>
              <dd data-value="paper-state">{d.paper.state}</dd>
              <dt>{tr('home.sheets')}</dt>
              <dd data-value="sheets-remaining">{d.sheetsRemaining}</dd>
            </dl>
          ) : (
            <p>{tr('devices.none')}</p>
          )}
          <Btn action="test-print-a4" label={tr('test-print-a4')} send={send} disabled={busy} />
          <h2>{tr('devices.faults')}</h2>
          <ul data-list="recent-faults">
            {(d?.recentFaults ?? []).map((f) => (
              <li key={`${f.at}-${f.device}-${f.state}`}>
                {wib(f.at)} {f.device} {f.state}
              </li>
            ))}
          </ul>
        </section>
      );
    }
    case 'maintenance-ledger': {
      const l = m.ledger;
      const countField = [{ name: 'count', label: 'count', inputMode: 'numeric' as const }];
      const withReason = [...countField, { name: 'reason', label: 'reason' }];
      const correction = [
        { name: 'delta', label: 'delta', inputMode: 'numeric' as const },
        { name: 'reason', label: 'reason' },
      ];
      return (
        <section>
          {back}
          {l && <Totals tr={tr} label="cards" t={l.cards} />}
          {l && <Totals tr={tr} label="paper" t={l.paper} />}
          {l?.reconciliation && (
            <p data-reconciliation={l.reconciliation.status}>{JSON.stringify(l.reconciliation)}</p>
          )}
          <ActionForm action="load-cards" tr={tr} send={send} fields={countField} />
          <ActionForm action="remove-cards" tr={tr} send={send} fields={withReason} />
          <ActionForm action="correct-cards" tr={tr} send={send} fields={correction} />
          <ActionForm action="load-paper" tr={tr} send={send} fields={countField} />
          <ActionForm action="remove-paper" tr={tr} send={send} fields={withReason} />
          <ActionForm action="correct-paper" tr={tr} send={send} fields={correction} />
          <Btn action="reconcile" label={tr('reconcile')} send={send} />
          <Btn action="set-baseline" label={tr('set-baseline')} send={send} />
          <ol data-list="ledger-entries">
            {(l?.entries ?? []).map((e) => (
              <li key={e.seq}>
                {wib(e.at)} {e.medium} {e.kind} {e.count} {e.reason ?? ''} {e.technicianId ?? ''}{' '}
                {e.applicationNo ?? ''}
              </li>
            ))}
          </ol>
        </section>
      );
    }
    case 'maintenance-outbox':
      return (
        <section>
          {back}
          <Btn action="send-now" label={tr('send-now')} send={send} disabled={busy} />
          <ul data-list="outbox">
            {(m.outbox?.pending ?? []).map((o) => (
              <li key={o.id}>
                {o.kind} {o.applicationNo ?? ''} ×{o.attempts} {o.lastError ?? ''}
              </li>
            ))}
          </ul>
          {m.outbox && m.outbox.pending.length === 0 && <p>{tr('outbox.empty')}</p>}
          <ul data-list="incidents">
            {(m.outbox?.incidents ?? []).map((i) => (
              <li key={i.id} data-incident={i.id}>
                {wib(i.at)} {i.kind} {i.applicationNo ?? ''}
                <ActionForm
                  action="resolve-incident"
                  tr={tr}
                  send={send}
                  extra={{ id: i.id }}
                  fields={[{ name: 'note', label: 'note' }]}
                />
              </li>
            ))}
          </ul>
          {m.outbox && m.outbox.incidents.length === 0 && <p>{tr('incidents.empty')}</p>}
        </section>
      );
    case 'maintenance-log':
      return (
        <section>
          {back}
          <Btn action="verify-audit" label={tr('verify-audit')} send={send} />
          {m.log?.verification && <p data-verification={m.log.verification.ok ? 'ok' : 'broken'} />}
          <ol data-list="log">
            {(m.log?.entries ?? []).map((e) => (
              <li key={e.seq}>
                {wib(e.at)} {e.type} {e.outcome ?? ''} {e.technicianId ?? ''} {e.applicationNo ?? ''}{' '}
                {e.nikMasked ?? ''} {e.detail ? JSON.stringify(e.detail) : ''}
              </li>
            ))}
          </ol>
        </section>
      );
    case 'maintenance-config':
      return (
        <section>
          {back}
          <pre data-value="config">{JSON.stringify(m.config, null, 2)}</pre>
        </section>
      );
    case 'maintenance-report': {
      const r = m.report?.report;
      return (
        <section>
          {back}
          <ActionForm
            action="report-day"
            tr={tr}
            send={send}
            fields={[{ name: 'day', label: 'day', type: 'date' }]}
          />
          <Btn
            action="export-report"
            label={tr('export-report')}
            send={send}
            args={r ? { day: r.day } : undefined}
          />
          {m.report?.exportedPath && <p data-value="exported-path">{m.report.exportedPath}</p>}
          {r && (
            <table data-report={r.day}>
              <caption>{r.day}</caption>
              <thead>
                <tr>
                  <th scope="col" />
                  <th scope="col">{tr('report.printed')}</th>
                  <th scope="col">{tr('report.refused')}</th>
                  <th scope="col">{tr('report.faults')}</th>
                  <th scope="col">{tr('report.cards')}</th>
                  <th scope="col">{tr('report.sheets')}</th>
                </tr>
              </thead>
              <tbody>
                {r.rows.map((row) => (
                  <tr key={row.service} data-service={row.service}>
                    <th scope="row">{row.service}</th>
                    <td>{row.printed}</td>
                    <td>
                      {Object.entries(row.refused)
                        .map(([k, v]) => `${k}: ${v}`)
                        .join(', ')}
                    </td>
                    <td>{row.faults}</td>
                    <td>
                      {row.cardsUsed}/{row.cardsSpoiled}
                    </td>
                    <td>
                      {row.sheetsUsed}/{row.sheetsSpoiled}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </section>
      );
    }
    default:
      return back;
  }
}

/** Renders `view.maintenance` for every `maintenance-*` screen, `data-screen` on its root. */
export function MaintenanceScreen(props: MaintenanceScreenProps) {
  const { view } = props;
  const m: MaintenanceView | undefined = 'maintenance' in view ? view.maintenance : undefined;
  const tr: Tr = (key, params) => mt(view.locale, key, params);
  const send: Send = (action, args) => props.send({ type: 'maintenance', action, args });
  const loggedIn = m?.technicianId !== undefined;
  return (
    <main data-screen={view.screen} class="maintenance" aria-busy={m?.busy === true}>
      <header>
        <h1>{tr('title')}</h1>
        {m?.technicianId && <span data-value="technician">{m.technicianId}</span>}
        {m?.outOfService && <strong data-value="out-of-service">{tr('oos.state')}</strong>}
        {loggedIn ? (
          <Btn action="logout" label={tr('logout')} send={() => send('exit')} />
        ) : (
          <Btn action="exit" label={tr('exit')} send={send} />
        )}
      </header>
      {m && <Notice m={m} tr={tr} />}
      {m && <Body m={m} tr={tr} send={send} />}
    </main>
  );
}
