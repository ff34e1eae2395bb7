import { maskNik } from '../audit/mask.ts';
import type { Application } from '../central-api/schemas.ts';
import { serviceEntry } from '../documents/services.ts';
import { type Capabilities, decideApplication } from '../flow/decide.ts';
import type { FlowContext } from '../flow/machine.ts';
import { idleSplit } from '../flow/timings.ts';
import type { MaintenanceView } from '../maintenance/view-model.ts';
import type { ChoiceItem, Helpdesk, Screen, View, ViewBase } from '../view.ts';
import { initialProgress } from './printing.ts';
import { CODE_REASONS } from './session-record.ts';

/** Everything the View is made of, read at one moment. */
export interface ViewInputs {
  screen: Screen;
  context: FlowContext;
  capabilities: Capabilities;
  kioskId: string;
  regionCode: string;
  helpdesk: Helpdesk;
  camera: boolean;
  /** The keyboard-mode scanner, when one is configured. */
  keyboard?: { maxInterKeyMs: number };
  /** The monotonic clock now (the idle warning's countdown is measured on it). */
  now: number;
  /** The maintenance menu's screen, when it has taken over the display. */
  maintenance?: MaintenanceView;
  /** An applicant's call for staff is open. */
  assistance: boolean;
}

/**
 * The View of the kiosk at one moment: a pure function of the flow's screen and context, what the kiosk
 * can print, and the maintenance menu when it is open. The UI renders nothing else.
 */
export function viewOf(i: ViewInputs): View {
  const ctx = i.context;
  const base: ViewBase = {
    locale: ctx.locale,
    kioskId: i.kioskId,
    available: { card: i.capabilities.CARD === 'ok', a4: i.capabilities.A4 === 'ok' },
    helpdesk: i.helpdesk,
    ...(i.camera ? { camera: true } : {}),
    ...(i.keyboard ? { keyboardScanner: { maxInterKeyMs: i.keyboard.maxInterKeyMs } } : {}),
    ...(ctx.audio ? { audio: true, volume: ctx.volume } : {}),
    ...(ctx.largeText ? { largeText: true } : {}),
    ...(i.assistance ? { assistance: 'requested' as const } : {}),
  };
  if (i.maintenance) return { ...base, screen: i.maintenance.screen, maintenance: i.maintenance };
  if (ctx.warningSince !== undefined) {
    const { countdownMs } = idleSplit(ctx.idleTimeoutSeconds);
    const left = Math.max(0, Math.ceil((ctx.warningSince + countdownMs - i.now) / 1000));
    base.idleWarning = { secondsLeft: left };
  }
  const s = ctx.session;
  const screen = i.screen;
  const toCounter =
    (screen === 'error' && !CODE_REASONS.has(ctx.reason ?? '')) ||
    (screen === 'collect' && (ctx.incomplete === true || ctx.cardNotTaken === true));
  if (toCounter && s?.reference) base.reference = s.reference;
  switch (screen) {
    case 'error':
      return {
        ...base,
        screen,
        reason: ctx.reason ?? 'service-unavailable',
        ...(ctx.stage ? { stage: ctx.stage } : {}),
        ...(ctx.paused ? { paused: true as const } : {}),
        canRetry: ctx.canRetry === true,
      };
    case 'manual-entry':
      return { ...base, screen, manualEntry: { step: 'application-no' } };
    case 'nik-entry':
      return {
        ...base,
        screen,
        nikEntry: {
          step: ctx.nikTyped ? 'pin' : 'nik',
          wrongCount: ctx.pinWrongCount,
          ...(ctx.pinAttemptsLeft !== undefined ? { attemptsLeft: ctx.pinAttemptsLeft } : {}),
        },
      };
    case 'choose':
      return {
        ...base,
        screen,
        choose: {
          ...(s?.resident?.name ? { name: s.resident.name } : {}),
          applications: (s?.resident?.applications ?? []).slice(0, 20).map((app) => choiceOf(app, i)),
        },
      };
    case 'pin':
      return {
        ...base,
        screen,
        pin: {
          wrongCount: ctx.pinWrongCount,
          ...(ctx.pinAttemptsLeft !== undefined ? { attemptsLeft: ctx.pinAttemptsLeft } : {}),
        },
      };
    case 'confirm':
      if (!s?.application) return { ...base, screen: 'checking' };
      return {
        ...base,
        screen,
        confirm: {
          name: s.application.subject.name,
          nikMasked: maskNik(s.application.subject.nik),
          service: s.application.service,
          serviceName: serviceEntry(s.application.service).name[ctx.locale],
          documents: s.documents.map((d) => ({
            medium: d.doc.medium,
            ...(d.doc.template ? { template: d.doc.template } : {}),
            ...(d.doc.pages ? { pages: d.doc.pages } : {}),
            previewUrl: d.preview ? `/preview/${d.previewId}.png` : '',
          })),
        },
      };
    case 'printing':
      return { ...base, screen, printing: ctx.progress ?? initialProgress() };
    case 'collect': {
      const media = [...new Set(s?.documents.slice(0, s.printed.documents).map((d) => d.doc.medium) ?? [])];
      return {
        ...base,
        screen,
        collect: {
          media,
          incomplete: ctx.incomplete === true,
          ...(ctx.cardNotTaken ? { notTaken: true } : {}),
        },
      };
    }
    case 'survey':
      return { ...base, screen, survey: s?.application ? { service: s.application.service } : {} };
    case 'home':
    case 'checking':
    case 'done':
    case 'out-of-service':
    case 'info':
      return { ...base, screen };
    default:
      throw new Error(`the flow has no screen ${screen}`);
  }
}

/** One application on `choose`: printable here and now, or why not (the same decision as after a scan). */
function choiceOf(app: Application, i: ViewInputs): ChoiceItem {
  const d = decideApplication(app, { regionCode: i.regionCode, source: 'nik', capabilities: i.capabilities });
  return {
    applicationNo: app.applicationNo,
    service: app.service,
    serviceName: serviceEntry(app.service).name[i.context.locale],
    status: app.status,
    ...(app.stage ? { stage: app.stage } : {}),
    printable: d.next !== 'error',
    ...(d.next === 'error' ? { why: d.reason } : {}),
  };
}
