import { formatTime } from '../../kiosk/maintenance/time-zone.ts';
import {
  type IncidentView,
  type MaintenanceView,
  RECONCILIATION_COLUMNS,
  type ReconciliationRow,
} from '../../kiosk/maintenance/view-model.ts';
import type { Locale } from '../../kiosk/view.ts';
import type { FieldSpec } from './keyboard.tsx';
import { type BodyProps, Btn, Export, Form, type Send, type Tr, time } from './screens.tsx';

/* The screens that show records: incidents with their steps, the reconciliation and ledger, the log and
   the daily report. */

function IncidentCard({
  i,
  m,
  tr,
  send,
  locale,
}: {
  i: IncidentView;
  m: MaintenanceView;
  tr: Tr;
  send: Send;
  locale: Locale;
}) {
  return (
    <article class="m-incident" data-incident={i.id} data-kind={i.kind} aria-labelledby={`m-inc-${i.id}`}>
      <h3 id={`m-inc-${i.id}`}>{i.title[locale]}</h3>
      <p class="m-muted">{time(m, i.at)}</p>
      <h4>{tr('incidents.saw')}</h4>
      <p data-value="saw">{i.saw[locale]}</p>
      <h4>{tr('incidents.steps')}</h4>
      <ol class="m-steps" data-list="steps">
        {i.steps.map((s) => (
          <li key={s.en}>{s[locale]}</li>
        ))}
      </ol>
      {i.resolved ? (
        <p data-closed-by={i.resolved.by}>
          {i.resolved.by === 'auto'
            ? tr('incidents.by-auto')
            : tr('incidents.by-technician', { technicianId: i.resolved.technicianId })}{' '}
          · {time(m, i.resolved.at)} · {i.resolved.note}
        </p>
      ) : (
        <div class="m-row">
          <Btn
            action="check-again"
            label={tr('incidents.check-again')}
            primary
            onClick={() => send('refresh')}
          />
          <Form
            action="resolve-incident"
            tr={tr}
            send={send}
            extra={{ id: i.id }}
            fields={[{ name: 'note', label: 'note', kind: 'text' }]}
          />
        </div>
      )}
    </article>
  );
}

export function IncidentsBody({ m, tr, send, locale }: BodyProps<'maintenance-incidents'>) {
  const { open, closed } = m.incidents;
  return (
    <section class="m-section" aria-labelledby="m-inc-title">
      <h2 id="m-inc-title">{tr('nav.incidents')}</h2>
      {open.length === 0 && <p>{tr('incidents.empty')}</p>}
      <div data-list="incidents">
        {open.map((i) => (
          <IncidentCard key={i.id} i={i} m={m} tr={tr} send={send} locale={locale} />
        ))}
      </div>
      <h2>{tr('incidents.closed')}</h2>
      <div data-list="closed-incidents">
        {closed.map((i) => (
          <IncidentCard key={i.id} i={i} m={m} tr={tr} send={send} locale={locale} />
        ))}
      </div>
    </section>
  );
}

function ReconTable({ rows, tr }: { rows: ReconciliationRow[]; tr: Tr }) {
  const cols = RECONCILIATION_COLUMNS;
  const head: Record<(typeof cols)[number], string> = {
    loaded: 'ledger.loaded',
    printed: 'ledger.printed',
    spoiled: 'ledger.spoiled',
    test: 'recon.test',
    removed: 'ledger.removed',
    corrected: 'ledger.corrected',
    left: 'ledger.remaining',
    printerSays: 'recon.printer',
    difference: 'recon.difference',
  };
  return (
    <table class="m-table m-table-dense" data-table="reconciliation">
      <caption>{tr('recon.title')}</caption>
      <thead>
        <tr>
          <th scope="col">{tr('recon.item')}</th>
          {cols.map((c) => (
            <th scope="col" key={c}>
              {tr(head[c])}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {rows.map((r) => (
          <tr key={r.item} data-item={r.item}>
            <th scope="row">{tr(`recon.${r.item}`)}</th>
            {cols.map((c) => (
              <td
                key={c}
                data-col={c}
                class={
                  c === 'difference' && r.difference !== undefined && r.difference !== 0 ? 'm-bad' : undefined
                }
              >
                {r[c] ?? '-'}
              </td>
            ))}
          </tr>
        ))}
      </tbody>
    </table>
  );
}

export function LedgerBody({ m, tr, send }: BodyProps<'maintenance-ledger'>) {
  const l = m.ledger;
  const count: FieldSpec[] = [{ name: 'count', label: 'count', kind: 'count' }];
  const withReason: FieldSpec[] = [...count, { name: 'reason', label: 'reason', kind: 'text' }];
  const correction: FieldSpec[] = [
    { name: 'delta', label: 'delta', kind: 'delta' },
    { name: 'reason', label: 'reason', kind: 'text' },
  ];
  return (
    <section class="m-section">
      <ReconTable rows={l.rows} tr={tr} />
      <div class="m-row">
        <Btn action="reconcile" label={tr('reconcile')} primary onClick={() => send('reconcile')} />
        <Btn action="set-baseline" label={tr('set-baseline')} onClick={() => send('set-baseline')} />
        <Export what="reconciliation-csv" tr={tr} send={send} />
      </div>
      {l.reconciliation && <p data-reconciliation={l.reconciliation.status} />}
      {l.exported && <p data-value="exported-path">{l.exported}</p>}
      <div class="m-forms">
        <Form action="load-cards" tr={tr} send={send} fields={count} />
        <Form action="load-paper" tr={tr} send={send} fields={count} />
        <Form action="remove-cards" tr={tr} send={send} fields={withReason} />
        <Form action="remove-paper" tr={tr} send={send} fields={withReason} />
        <Form action="correct-cards" tr={tr} send={send} fields={correction} />
        <Form action="correct-paper" tr={tr} send={send} fields={correction} />
      </div>
    </section>
  );
}

export function LogBody({ m, tr, send }: BodyProps<'maintenance-log'>) {
  return (
    <section class="m-section">
      <div class="m-row">
        <Btn action="verify-audit" label={tr('verify-audit')} onClick={() => send('verify-audit')} />
        <Export what="log-csv" tr={tr} send={send} />
      </div>
      {m.log.verification && <p data-verification={m.log.verification.ok ? 'ok' : 'broken'} />}
      {m.log.exported && <p data-value="exported-path">{m.log.exported}</p>}
      <table class="m-table m-table-dense" data-list="log">
        <thead>
          <tr>
            <th scope="col">{tr('log.time')}</th>
            <th scope="col">{tr('log.what')}</th>
            <th scope="col">{tr('log.outcome')}</th>
            <th scope="col">{tr('log.who')}</th>
            <th scope="col">{tr('log.application')}</th>
          </tr>
        </thead>
        <tbody>
          {m.log.entries.map((e) => (
            <tr key={e.seq}>
              <td>{time(m, e.at)}</td>
              <td>{e.type}</td>
              <td>{e.outcome ?? ''}</td>
              <td>{e.technicianId ?? ''}</td>
              <td>{[e.applicationNo, e.nikMasked].filter(Boolean).join(' ')}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

export function ReportBody({ m, tr, send }: BodyProps<'maintenance-report'>) {
  const r = m.report.report;
  const total = (k: 'printed' | 'faults' | 'cardsUsed' | 'cardsSpoiled' | 'sheetsUsed' | 'sheetsSpoiled') =>
    r.rows.reduce((a, row) => a + row[k], 0);
  const refused = (row: (typeof r.rows)[number]) => Object.values(row.refused).reduce((a, b) => a + b, 0);
  return (
    <section class="m-section">
      <Form action="report-day" tr={tr} send={send} fields={[{ name: 'day', label: 'day', kind: 'day' }]} />
      <div class="m-row">
        <Export what="report-csv" tr={tr} send={send} day={r.day} />
        <Export what="report-pdf" tr={tr} send={send} day={r.day} />
      </div>
      {m.report.exported && <p data-value="exported-path">{m.report.exported.path}</p>}
      <table class="m-table" data-report={r.day}>
        <caption>
          {r.day} ({formatTime(r.from, r.timeZone)} – {formatTime(r.until, r.timeZone)})
        </caption>
        <thead>
          <tr>
            <th scope="col">{tr('recon.item')}</th>
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
              <td
                title={Object.entries(row.refused)
                  .map(([k, v]) => `${k}: ${v}`)
                  .join(', ')}
              >
                {refused(row)}
              </td>
              <td class={row.faults > 0 ? 'm-bad' : undefined}>{row.faults}</td>
              <td>
                {row.cardsUsed} / {row.cardsSpoiled}
              </td>
              <td>
                {row.sheetsUsed} / {row.sheetsSpoiled}
              </td>
            </tr>
          ))}
        </tbody>
        <tfoot>
          <tr>
            <th scope="row">{tr('recon.total')}</th>
            <td>{total('printed')}</td>
            <td>{r.rows.reduce((a, row) => a + refused(row), 0)}</td>
            <td>{total('faults')}</td>
            <td>
              {total('cardsUsed')} / {total('cardsSpoiled')}
            </td>
            <td>
              {total('sheetsUsed')} / {total('sheetsSpoiled')}
            </td>
          </tr>
        </tfoot>
      </table>
    </section>
  );
}
