import type { Helpdesk } from '../../kiosk/view.ts';
import type { Translate } from '../i18n/translate.ts';

interface HelpdeskPanelProps {
  helpdesk: Helpdesk;
  t: Translate;
}

/** The office's helpdesk channels from the config (phone, WhatsApp, e-mail), and the counter as fallback. */
export function HelpdeskPanel({ helpdesk, t }: HelpdeskPanelProps) {
  const rows: Array<[string, string]> = [];
  if (helpdesk.phone) rows.push([t('helpdesk.phone'), helpdesk.phone]);
  if (helpdesk.whatsapp) rows.push([t('helpdesk.whatsapp'), helpdesk.whatsapp]);
  if (helpdesk.email) rows.push([t('helpdesk.email'), helpdesk.email]);
  return (
    <section class="helpdesk" aria-labelledby="helpdesk-title">
      <h2 id="helpdesk-title">{t('helpdesk.title')}</h2>
      {rows.length > 0 && (
        <dl>
          {rows.map(([label, value]) => (
            <div class="helpdesk-row" key={label}>
              <dt>{label}</dt>
              <dd>{value}</dd>
            </div>
          ))}
        </dl>
      )}
      <p>{t('helpdesk.counter')}</p>
    </section>
  );
}
