import { useState } from 'preact/hooks';
import type { ServiceInfo } from '../../kiosk/documents/service-info/schema.ts';
import { HelpdeskPanel } from '../components/helpdesk.tsx';
import { ScreenFrame } from '../components/screen-frame.tsx';
import type { ScreenProps } from './screen-props.ts';

interface InfoProps extends ScreenProps {
  entries: ServiceInfo[];
}

/**
 * Service information: a list of services, then one service's standard (requirements, procedure,
 * time, cost, product, complaints). Which entry is open is the only state kept here.
 */
export function InfoScreen({ view, t, send, entries }: InfoProps) {
  const [openId, setOpenId] = useState<string | undefined>(undefined);
  const open = entries.find((entry) => entry.id === openId);
  const locale = view.locale;
  const back = open && (
    <button type="button" class="btn btn-secondary" data-action="back" onClick={() => setOpenId(undefined)}>
      {t('action.back')}
    </button>
  );
  return (
    <ScreenFrame
      screen="info"
      view={view}
      t={t}
      send={send}
      title={open ? { free: open.title[locale] } : { key: 'info.title' }}
      instruction={open ? [] : [{ key: entries.length > 0 ? 'info.choose' : 'info.empty' }]}
      actions={
        <div class="actions-row">
          {back}
          <button
            type="button"
            class="btn btn-primary"
            data-action="home"
            onClick={() => send({ type: 'home' })}
          >
            {t('action.home')}
          </button>
        </div>
      }
    >
      {open ? (
        <article class="info-detail" data-info={open.id}>
          <InfoList title={t('info.requirements')} items={open.requirements[locale]} />
          <InfoList title={t('info.procedure')} items={open.procedure[locale]} ordered />
          <InfoText title={t('info.time')} text={open.completionTime[locale]} />
          <InfoText title={t('info.cost')} text={open.cost[locale]} />
          <InfoText title={t('info.product')} text={open.product[locale]} />
          <InfoList title={t('info.complaints')} items={open.complaints[locale]} />
          <section>
            <h2>{t('info.thisOffice')}</h2>
            <HelpdeskPanel helpdesk={view.helpdesk} t={t} />
          </section>
          <p class="source">{open.source}</p>
        </article>
      ) : (
        <div class="info-list">
          {entries.map((entry) => (
            <button
              type="button"
              class="btn btn-secondary btn-wide"
              key={entry.id}
              data-info={entry.id}
              onClick={() => setOpenId(entry.id)}
            >
              {entry.title[locale]}
            </button>
          ))}
        </div>
      )}
    </ScreenFrame>
  );
}

function InfoList({ title, items, ordered }: { title: string; items: string[]; ordered?: boolean }) {
  const children = items.map((item) => <li key={item}>{item}</li>);
  return (
    <section>
      <h2>{title}</h2>
      {ordered ? <ol>{children}</ol> : <ul>{children}</ul>}
    </section>
  );
}

function InfoText({ title, text }: { title: string; text: string }) {
  return (
    <section>
      <h2>{title}</h2>
      <p>{text}</p>
    </section>
  );
}
