import { type Actor, createActor } from 'xstate';
import { DEFAULT_VOLUME } from '../../config/volume.ts';
import { CameraScanner } from '../../drivers/scanner/camera-scanner.ts';
import { KeyboardScanner } from '../../drivers/scanner/keyboard-scanner.ts';
import type { flowMachine } from '../flow/machine.ts';
import type { SessionData } from '../flow/session-data.ts';
import { isTechnicianBadge } from '../maintenance/badge.ts';
import type { Intent, View } from '../view.ts';
import { ASSISTANCE_OPEN_MS, Assistance } from './assistance.ts';
import { ExitBezel } from './bezel.ts';
import type { KioskCoreDeps, MaintenancePort, ViewListener } from './deps.ts';
import { DeviceMonitor } from './device-monitor.ts';
import type { DeviceSnapshot } from './devices.ts';
import { flowEventsOf } from './flow-events.ts';
import { provideFlow } from './flow-wiring.ts';
import { Heartbeat, type KioskState } from './heartbeat.ts';
import { Printing } from './printing.ts';
import { recoverOpenSessions } from './recovery.ts';
import { screenOf } from './screen-of.ts';
import { SessionRecord } from './session-record.ts';
import { SessionSteps } from './session-steps.ts';
import { Settlement } from './settlement.ts';
import { viewOf } from './view-of.ts';

export type { KioskCoreDeps, MaintenancePort } from './deps.ts';
export { ledgerCounts } from './device-monitor.ts';

/** Screens on which nobody is being served (maintenance may take over). */
const IDLE_SCREENS: ReadonlySet<string> = new Set(['home', 'out-of-service', 'info']);

/**
 * The kiosk core: a small facade over the flow machine (whose context holds the session) and the parts
 * that do the work: the session steps, printing, settlement, recovery of undecided cards, the device
 * monitor, the heartbeat, and the pure View. The hosts only carry its View to the UI and the
 * applicant's Intents back (kiosk/hosts/core-port.ts).
 */
export class KioskCore {
  private readonly actor: Actor<typeof flowMachine>;
  private readonly monitor: DeviceMonitor;
  private readonly beat: Heartbeat;
  private readonly record: SessionRecord;
  private readonly bezel: ExitBezel;
  /** An applicant's call for staff (kiosk-wide, not the session's). */
  readonly assistance: Assistance;
  private readonly listeners = new Set<ViewListener>();
  private readonly unsubscribers: Array<() => void> = [];
  private maintenance: MaintenancePort | undefined;
  private tickTimer: unknown;
  private stopped = false;

  constructor(private readonly deps: KioskCoreDeps) {
    this.monitor = new DeviceMonitor(deps, {
      refreshed: () => this.refreshed(),
      printing: () => this.screen() === 'printing',
      settleUndecided: () =>
        recoverOpenSessions({
          ...this.recoveryDeps(),
          ...(this.session() ? { skip: this.session()!.sessionId } : {}),
        }),
    });
    this.assistance = new Assistance(deps.clock, (request) => {
      deps.log?.(`assistance requested on ${request.screen}`);
      deps.sendAssistance?.(request);
      deps.clock.setTimeout(() => this.assistanceChanged(), ASSISTANCE_OPEN_MS);
    });
    this.beat = new Heartbeat(deps, {
      state: () => this.kioskState(),
      snapshot: () => this.monitor.snapshot(),
    });
    const settlement = this.settlement();
    const record = new SessionRecord(deps, settlement);
    this.record = record;
    const steps = new SessionSteps(deps, record, settlement, {
      refresh: () => this.monitor.poll(),
      capabilities: () => this.monitor.capabilities(),
    });
    const printing = new Printing(deps, record, settlement, {
      progress: (progress) => this.actor.send({ type: 'PROGRESS', progress }),
      cardUndecided: () => this.monitor.holdCards(),
      devicesChanged: () => this.monitor.pollSoon(),
      cooling: () => {
        this.monitor.cooled();
        deps.metrics?.cardPrinterCooling();
      },
      stopped: () => this.stopped,
    });
    const bezel = new ExitBezel(deps, record);
    this.bezel = bezel;
    const machine = provideFlow({
      deps,
      steps,
      printing,
      bezel,
      record,
      settlement,
      stopped: () => this.stopped,
    });
    this.actor = createActor(machine, {
      input: {
        idleTimeoutSeconds: deps.config.idleTimeoutSeconds,
        locale: deps.config.locale,
        volume: deps.config.audio?.volume ?? DEFAULT_VOLUME,
        available: true,
      },
      clock: {
        setTimeout: (fn, ms) => deps.clock.setTimeout(fn, ms),
        clearTimeout: (h) => deps.clock.clearTimeout(h),
      },
      ...(deps.inspect ? { inspect: deps.inspect } : {}),
    });
    this.actor.subscribe(() => this.changed());
  }

  /** Starts the devices' monitor, the flow, the scanners, the outbox and the heartbeat. */
  async start(): Promise<void> {
    await this.bezel.drawBackAtStart().catch(() => undefined);
    await this.monitor.start();
    this.actor.start();
    this.actor.send({ type: 'SERVICE_CHANGED', available: this.monitor.canPrintAnything() });
    for (const scanner of this.deps.devices.scanners)
      this.unsubscribers.push(scanner.onCode((t) => this.scanned(t)));
    this.deps.outbox.start();
    this.beat.start();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    for (const u of this.unsubscribers) u();
    this.monitor.stop();
    this.beat.stop();
    if (this.tickTimer !== undefined) this.deps.clock.clearTimeout(this.tickTimer);
    this.actor.stop();
    await this.deps.outbox.stop();
  }

  // ---- the port the hosts use ----

  subscribe(listener: ViewListener): () => void {
    this.listeners.add(listener);
    listener(this.currentView());
    return () => this.listeners.delete(listener);
  }

  currentView(): View {
    const snap = this.actor.getSnapshot();
    return viewOf({
      screen: screenOf(snap.value),
      context: snap.context,
      capabilities: this.monitor.capabilities(),
      kioskId: this.deps.config.kioskId,
      regionCode: this.deps.config.regionCode,
      helpdesk: this.deps.config.helpdesk ?? {},
      camera: this.deps.devices.scanners.some((sc) => sc.source === 'camera'),
      keyboard: this.deps.devices.scanners.find((sc): sc is KeyboardScanner => sc instanceof KeyboardScanner),
      now: this.deps.clock.monotonic(),
      ...(this.maintenance?.view() ? { maintenance: this.maintenance.view()!.maintenance } : {}),
      assistance: this.assistance.isOpen(),
    });
  }

  send(intent: Intent): void {
    if (this.stopped) return;
    switch (intent.type) {
      case 'scan': {
        // The UI's codes go through their Scanner (the camera's folds repeats of one code).
        const scanners = this.deps.devices.scanners;
        const from =
          intent.source === 'keyboard'
            ? scanners.find((sc): sc is KeyboardScanner => sc instanceof KeyboardScanner)
            : scanners.find((sc): sc is CameraScanner => sc instanceof CameraScanner);
        if (from) from.push(String(intent.text));
        else if (intent.source !== 'keyboard') this.scanned(intent.text);
        break;
      }
      case 'camera':
        this.deps.devices.scanners
          .find((sc): sc is CameraScanner => sc instanceof CameraScanner)
          ?.setAvailable(intent.available, intent.detail);
        break;
      case 'maintenance':
        this.toMaintenance(intent);
        break;
      case 'call-staff':
        this.assistance.request(this.screen(), this.session()?.reference);
        this.assistanceChanged();
        break;
      default:
        for (const event of flowEventsOf(intent)) this.actor.send(event);
    }
  }

  /** A preview image of the current session, by the path the View gave. */
  async readAsset(path: string): Promise<{ body: Uint8Array; type: string } | undefined> {
    const m = /^\/preview\/([A-Za-z0-9-]+)\.png$/.exec(path);
    const doc = m ? this.session()?.documents.find((d) => d.previewId === m[1]) : undefined;
    return doc?.preview ? { body: doc.preview, type: 'image/png' } : undefined;
  }

  /** Whether an applicant is being served (maintenance waits until not). */
  applicantBusy(): boolean {
    return !IDLE_SCREENS.has(this.screen());
  }

  /** Connects the maintenance menu: its screens take over the display once no applicant is served. */
  attachMaintenance(port: MaintenancePort): void {
    this.maintenance = port;
    port.setApplicantBusy(this.applicantBusy());
    this.unsubscribers.push(
      port.onChange(() => {
        this.beat.beat(false);
        this.emit();
      }),
    );
    this.emit();
  }

  /** Out of service by a technician's hand. */
  /** A technician closed the applicant's call for staff (maintenance menu). */
  clearAssistance(): void {
    this.assistance.clear();
    this.assistanceChanged();
  }

  /** The call for staff opened, lapsed or was cleared: the metric and every screen follow. */
  private assistanceChanged(): void {
    this.deps.metrics?.setAssistanceRequested(this.assistance.isOpen());
    this.emit();
  }

  setOutOfService(on: boolean): void {
    this.monitor.setOutOfService(on);
    this.actor.send({ type: 'SERVICE_CHANGED', available: this.monitor.canPrintAnything() });
    this.beat.beat(true);
    this.emit();
  }

  isOutOfService(): boolean {
    return this.monitor.isOutOfService();
  }

  devices(): DeviceSnapshot {
    return this.monitor.snapshot();
  }

  /** Re-reads the devices now (after a technician cleared a fault or loaded cards). */
  async refreshDevices(): Promise<void> {
    await this.monitor.poll();
  }

  /** Queues a heartbeat when forced or when the kiosk's or a device's state changed. */
  heartbeat(force: boolean): void {
    this.beat.beat(force);
  }

  /** Sends the current View to every host. */
  emit(): void {
    const view = this.currentView();
    for (const l of this.listeners) {
      try {
        l(view);
      } catch {
        // A host that fails to deliver a view must not stop the others.
      }
    }
  }

  // ---- inside ----

  private session(): SessionData | undefined {
    return this.actor.getSnapshot().context.session;
  }

  private screen(): View['screen'] {
    return screenOf(this.actor.getSnapshot().value);
  }

  private kioskState(): KioskState {
    if (this.maintenance?.view()) return 'MAINTENANCE';
    return this.monitor.canPrintAnything() ? 'IN_SERVICE' : 'OUT_OF_SERVICE';
  }

  private settlement(): Settlement {
    return new Settlement({ ...this.deps, cardPrinterSerial: () => this.monitor.cardPrinterSerial() });
  }

  private recoveryDeps() {
    const d = this.deps;
    return {
      journal: d.journal,
      settlement: this.settlement(),
      api: d.api,
      clock: d.clock,
      ...(d.ledger ? { ledger: d.ledger } : {}),
      ...(d.incidents ? { incidents: d.incidents } : {}),
      ...(d.devices.cardPrinter ? { cardPrinter: d.devices.cardPrinter } : {}),
      ...(d.devices.paperPrinter ? { paperPrinter: d.devices.paperPrinter } : {}),
      ...(d.log ? { log: d.log } : {}),
    };
  }

  /** A maintenance action runs apart from the applicant's flow; one that fails is logged, never unhandled. */
  private toMaintenance(intent: Extract<Intent, { type: 'maintenance' }>): void {
    const m = this.maintenance;
    if (!m) return;
    void (async () => m.handle(intent))().catch((e: unknown) =>
      this.deps.log?.(`maintenance: ${intent.action} failed: ${(e as Error).message}`),
    );
  }

  private scanned(text: string): void {
    const trimmed = String(text).trim();
    if (!trimmed) return;
    // A technician badge goes to the maintenance menu, which waits for an applicant to finish.
    if (isTechnicianBadge(trimmed))
      this.toMaintenance({ type: 'maintenance', action: 'badge', args: { token: trimmed } });
    else if (!this.maintenance?.view()) this.actor.send({ type: 'SCAN', text: trimmed });
  }

  /** The devices were read again: availability, heartbeat and View follow. */
  private refreshed(): void {
    if (this.actor.getSnapshot().status !== 'active') return;
    this.actor.send({ type: 'SERVICE_CHANGED', available: this.monitor.canPrintAnything() });
    this.beat.beat(false);
    this.emit();
  }

  private changed(): void {
    const ctx = this.actor.getSnapshot().context;
    const screen = this.screen();
    if (screen === 'collect') this.deps.metrics?.stepEnd('print_end_to_collect');
    this.deps.metrics?.setAssistanceRequested(this.assistance.isOpen());
    if (ctx.session && screen === 'error' && ctx.reason) this.record.handOff(ctx.session, ctx.reason);
    if (ctx.session && screen === 'collect' && ctx.incomplete) this.record.handOff(ctx.session, 'incomplete');
    if (ctx.warningSince !== undefined && this.tickTimer === undefined) this.tick();
    this.maintenance?.setApplicantBusy(this.applicantBusy());
    this.emit();
    if (!this.applicantBusy()) this.beat.beat(false);
  }

  /** Re-renders every second while the idle countdown runs. */
  private tick(): void {
    this.tickTimer = this.deps.clock.setTimeout(() => {
      this.tickTimer = undefined;
      if (this.actor.getSnapshot().context.warningSince === undefined || this.stopped) return;
      this.emit();
      this.tick();
    }, 1000);
  }
}
