import { ERROR_REASONS, type View } from '../../kiosk/view.ts';
import { baseView } from '../support/ui-harness.ts';

/** A session reference as the core makes them (`SessionReference`, central-api.yaml). */
export const REFERENCE = 'K7Q2-9XMD';

/** Error reasons where the kiosk does not send the applicant to the counter, so no reference is shown. */
const NO_REFERENCE = new Set(['invalid-qr', 'expired-qr']);

/** One View per applicant screen, filled as the core would fill it. */
export const APPLICANT_VIEWS: Array<[name: string, view: View]> = [
  ['home', baseView()],
  ['home-partial', baseView({ available: { card: true, a4: false } })],
  ['manual-entry', baseView({ screen: 'manual-entry', manualEntry: { step: 'application-no' } })],
  [
    'manual-entry-pin',
    baseView({ screen: 'manual-entry', manualEntry: { step: 'pin' }, pin: { wrongCount: 0 } }),
  ],
  ['checking', baseView({ screen: 'checking' })],
  ['nik-entry', baseView({ screen: 'nik-entry', nikEntry: { step: 'nik', wrongCount: 0 } })],
  [
    'nik-entry-pin-wrong',
    baseView({ screen: 'nik-entry', nikEntry: { step: 'pin', wrongCount: 1, attemptsLeft: 2 } }),
  ],
  [
    'choose',
    baseView({
      screen: 'choose',
      choose: {
        name: 'RATNA KUSUMAWATI',
        applications: [
          {
            applicationNo: '3574-KTP-2611-000501',
            service: 'KTP_EL',
            serviceName: 'Kartu Tanda Penduduk Elektronik (KTP-el)',
            status: 'READY',
            printable: true,
          },
          {
            applicationNo: '3574-KK-2611-000502',
            service: 'KK',
            serviceName: 'Kartu Keluarga (KK)',
            status: 'IN_PROCESS',
            stage: 'SIGNING',
            printable: false,
            why: 'not-ready',
          },
          {
            applicationNo: '3573-AKL-2611-000503',
            service: 'AKTA_KELAHIRAN',
            serviceName: 'Akta Kelahiran',
            status: 'READY',
            printable: false,
            why: 'wrong-region',
          },
          {
            applicationNo: '3574-AKP-2611-000504',
            service: 'AKTA_PERKAWINAN',
            serviceName: 'Akta Perkawinan',
            status: 'PRINTED',
            printable: false,
            why: 'already-printed',
          },
        ],
      },
    }),
  ],
  ['pin', baseView({ screen: 'pin', pin: { wrongCount: 0 } })],
  ['pin-wrong', baseView({ screen: 'pin', pin: { wrongCount: 1, attemptsLeft: 2 } })],
  [
    'confirm',
    baseView({
      screen: 'confirm',
      confirm: {
        name: 'SITI RAHAYU',
        nikMasked: '357401******0001',
        service: 'KTP_EL',
        serviceName: 'Kartu Tanda Penduduk Elektronik (KTP-el)',
        documents: [{ medium: 'CARD', template: 'KTP_EL', previewUrl: '/preview/card-1.png' }],
      },
    }),
  ],
  [
    'confirm-a4',
    baseView({
      screen: 'confirm',
      confirm: {
        name: 'BUDI SANTOSO',
        nikMasked: '357402******0007',
        service: 'KK',
        serviceName: 'Kartu Keluarga (KK)',
        documents: [{ medium: 'A4', pages: 2, previewUrl: '/preview/a4-1.png' }],
      },
    }),
  ],
  [
    'printing',
    baseView({
      screen: 'printing',
      printing: { medium: 'CARD', index: 1, of: 1, progress: 0.35, etaSeconds: 20 },
    }),
  ],
  [
    'printing-a4',
    baseView({
      screen: 'printing',
      printing: { medium: 'A4', index: 2, of: 2, progress: 0.8, etaSeconds: 6 },
    }),
  ],
  ['collect', baseView({ screen: 'collect', collect: { media: ['CARD'], incomplete: false } })],
  [
    'collect-incomplete',
    baseView({ screen: 'collect', collect: { media: ['A4'], incomplete: true }, reference: REFERENCE }),
  ],
  ['survey', baseView({ screen: 'survey', survey: { service: 'KTP_EL' } })],
  ['done', baseView({ screen: 'done' })],
  ['out-of-service', baseView({ screen: 'out-of-service', available: { card: false, a4: false } })],
  ['info', baseView({ screen: 'info' })],
  ['idle-warning', baseView({ screen: 'confirm', idleWarning: { secondsLeft: 9 }, confirm: undefined })],
  ['audio-on', baseView({ screen: 'pin', pin: { wrongCount: 0 }, audio: true, volume: 70 })],
  ['assistance', baseView({ screen: 'pin', pin: { wrongCount: 0 }, assistance: 'requested' })],
  ...ERROR_REASONS.map((reason): [string, View] => [
    `error-${reason}`,
    baseView({
      screen: 'error',
      reason,
      canRetry: reason === 'service-unavailable',
      ...(reason === 'not-ready' ? { stage: 'VALIDATION' } : {}),
      ...(NO_REFERENCE.has(reason) ? {} : { reference: REFERENCE }),
    }),
  ]),
  [
    'error-out-of-supplies-paused',
    baseView({
      screen: 'error',
      reason: 'out-of-supplies',
      paused: true,
      canRetry: false,
      reference: REFERENCE,
    }),
  ],
];

/** The View of one named screen of `APPLICANT_VIEWS`. */
export function applicantView(name: string): View {
  const found = APPLICANT_VIEWS.find(([n]) => n === name);
  if (!found) throw new Error(`no applicant view ${name}`);
  return found[1];
}
