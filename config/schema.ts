import { z } from 'zod';
import { DEFAULT_VOLUME, VOLUME_MIN } from './volume.ts';

/**
 * The kiosk config file of kiosk-runtime.md. Every object is strict: an unknown key is an error, so a
 * misspelt setting never silently falls back to a default on a kiosk in the field.
 */
const issuerKey = z.strictObject({
  kid: z.string().min(1),
  /** base64url raw Ed25519 public key (32 bytes). */
  publicKey: z.string().regex(/^[A-Za-z0-9_-]{43}$/, 'a base64url raw Ed25519 public key (43 characters)'),
});

/**
 * (1.1) Seconds the applicant has to take a card from the exit bezel before it is drawn back
 * (kiosk-runtime.md path step 10); only used on a printer that has a bezel.
 */
const cardTakeSeconds = z.number().int().min(10).max(120).default(30);

const cardPrinter = z.discriminatedUnion('driver', [
  z.strictObject({
    driver: z.literal('serial'),
    path: z.string().min(1),
    baudRate: z.number().int().positive().default(115200),
    cardTakeSeconds,
  }),
  z.strictObject({
    driver: z.literal('usb'),
    vendorId: z.number().int().min(0).max(0xffff).optional(),
    productId: z.number().int().min(0).max(0xffff).optional(),
    cardTakeSeconds,
  }),
  z.strictObject({
    driver: z.literal('sim'),
    /** Simulated time: 1 is a real printer's pace (about 21 s a card), 0.05 one card in about a second. */
    timeFactor: z.number().positive().max(10).default(0.05),
    blankCards: z.number().int().min(0).default(100),
    cardTakeSeconds,
    /** (1.1) The simulated head overheats after this many cards within 10 minutes; none: never. */
    coolingAfterCards: z.number().int().min(1).max(10000).optional(),
    /** (1.1) How long a cooling lasts at a real printer's pace (times `timeFactor`); real heads take 30-120 s. */
    coolingSeconds: z.number().positive().max(600).default(60),
    /** (1.1) The simulated printer holds each card in an exit bezel until it is taken (Evolis KM-like). */
    bezel: z.boolean().default(false),
  }),
]);

const paperPrinter = z.discriminatedUnion('driver', [
  z.strictObject({ driver: z.literal('cups'), queue: z.string().min(1) }),
  z.strictObject({ driver: z.literal('windows'), printer: z.string().min(1) }),
  z.strictObject({
    driver: z.literal('sim'),
    timeFactor: z.number().positive().max(10).default(0.05),
    paperSheets: z.number().int().min(0).default(500),
  }),
]);

const scanner = z.discriminatedUnion('driver', [
  z.strictObject({
    driver: z.literal('serial'),
    path: z.string().min(1),
    baudRate: z.number().int().positive().default(9600),
  }),
  z.strictObject({ driver: z.literal('camera') }),
  z.strictObject({ driver: z.literal('sim') }),
  /**
   * (1.1) A 2D scanner in USB keyboard mode: it types the code and Enter into the kiosk window, and the
   * UI tells its runs of keys from a person's (kiosk-runtime.md "Keyboard-mode scanner").
   */
  z.strictObject({
    driver: z.literal('keyboard'),
    /** Longest gap between two keys of one scan; slower keys are a person's. */
    maxInterKeyMs: z.number().int().min(10).max(100).default(30),
  }),
]);

const centralApiSim = z.strictObject({
  /** Port of the built-in central API simulator; 0 picks a free one. */
  port: z.number().int().min(0).max(65535).default(8080),
});

/** Whether the platform's time-zone data knows this IANA name. */
function knownTimeZone(name: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: name });
    return true;
  } catch {
    return false;
  }
}

/** Five years and a day for the leap years: how long the law asks the audit trail to be kept. */
export const AUDIT_RETENTION_DAYS = 1827;
/** The time zone when the config names none (WIB). */
export const DEFAULT_TIME_ZONE = 'Asia/Jakarta';
/** Where a USB stick is mounted when the config names nothing else. */
export const DEFAULT_USB_MEDIA_ROOT = '/media';

const audit = z.strictObject({
  /**
   * The per-kiosk Ed25519 key that signs each audit entry (PKCS#8 PEM), generated there at provisioning
   * or first start. Never inside `dataDir`: whoever can write the data must not be able to sign. Default:
   * `<dataDir>.keys/audit-ed25519.pem`, beside the data folder.
   */
  keyPath: z.string().min(1).optional(),
  /** Older entries are pruned behind a checkpoint that keeps the chain verifiable. Days the audit trail is kept (default AUDIT_RETENTION_DAYS, five years). */
  retentionDays: z.number().int().min(365).max(36500).optional(),
});
/** Where the metrics are served when the config says nothing (kiosk-runtime.md 1.1). */
export const METRICS_DEFAULT = { host: '127.0.0.1', port: 9464 } as const;

export const configSchema = z.strictObject({
  kioskId: z.string().min(1).max(64),
  regionCode: z.string().regex(/^[0-9]{4}$/, 'a 4-digit BPS region code'),
  locale: z.enum(['id', 'en']).default('id'),
  centralApi: z.strictObject({
    baseUrl: z.url(),
    token: z.string().min(1),
    timeoutMs: z.number().int().min(1000).max(60000).default(8000),
  }),
  qr: z.strictObject({ issuerKeys: z.array(issuerKey).min(1) }),
  devices: z.strictObject({
    cardPrinter: cardPrinter.optional(),
    paperPrinter: paperPrinter.optional(),
    /** One scanner, or several enabled at once (serial and camera). */
    scanner: z.union([scanner, z.array(scanner).min(1)]).optional(),
  }),
  dataDir: z.string().min(1),
  host: z
    .strictObject({
      kind: z.enum(['electron', 'browser']).default('electron'),
      port: z.number().int().min(0).max(65535).default(0),
    })
    .default({ kind: 'electron', port: 0 }),
  idleTimeoutSeconds: z.number().int().min(10).max(600).default(60),
  helpdesk: z
    .strictObject({
      phone: z.string().min(1).optional(),
      whatsapp: z.string().min(1).optional(),
      email: z.string().min(1).optional(),
    })
    .optional(),
  technicians: z.array(z.strictObject({ id: z.string().min(1), pinHash: z.string().min(1) })).default([]),
  /**
   * Project addition (issue 13): below `minFreeMB` free in the data folder's file system the kiosk serves
   * nobody (`storageHealth`); acknowledged outbox rows and ended sessions are kept `retentionDays`.
   * Left out, both take their defaults (`DEFAULT_MIN_FREE_MB`, `DEFAULT_RETENTION_DAYS` in kiosk/store).
   */
  storage: z
    .strictObject({
      minFreeMB: z.number().int().min(10).max(100_000).default(200),
      retentionDays: z.number().int().min(7).max(3650).default(90),
    })
    .optional(),
  /**
   * Project addition: the IANA time zone every time is shown and printed in (WIB, WITA or WIT); default
   * DEFAULT_TIME_ZONE. (Optional without a schema default, so a loaded config keeps the keys it was given.)
   */
  timeZone: z
    .string()
    .refine(knownTimeZone, 'an IANA time zone such as Asia/Jakarta, Asia/Makassar or Asia/Jayapura')
    .optional(),
  /** Project addition: signing and retention of the audit trail. */
  audit: audit.optional(),
  /**
   * Project addition (issue 15): spoken guidance. `output` names the sound output the screen plays to
   * (a PulseAudio/PipeWire sink name such as the headphone jack's, `pactl list short sinks`); left out,
   * the system's default. `volume` (percent) is where each session starts; the applicant turns it up or
   * down on screen in steps of VOLUME_STEP.
   */
  audio: z
    .strictObject({
      output: z
        .string()
        .regex(/^[A-Za-z0-9_.:-]{1,200}$/, 'a sink name as `pactl list short sinks` prints it')
        .optional(),
      volume: z.number().int().min(VOLUME_MIN).max(100).default(DEFAULT_VOLUME),
    })
    .optional(),
  /**
   * Project addition: where a USB stick appears (the package's udev rule mounts it read-write under this
   * folder): exports go to the first writable folder in it. Default DEFAULT_USB_MEDIA_ROOT.
   */
  usbMediaRoot: z.string().min(1).optional(),
  /**
   * Where the kiosk serves its Prometheus metrics (kiosk-runtime.md 1.1), or `false` for none. Port 0
   * picks a free one (the kiosk prints `METRICS <url>`); a port that cannot be opened is an incident.
   */
  metrics: z
    .union([
      z.literal(false),
      z.strictObject({
        host: z.string().min(1).default('127.0.0.1'),
        port: z.number().int().min(0).max(65535).default(9464),
      }),
    ])
    // Left out: METRICS_DEFAULT, applied where it is used (so a config reads back as it was written).
    .optional(),
  /** Project addition: how much the kiosk logs (JSON lines on stdout, into the journal); default `info`. */
  logLevel: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace']).optional(),
  /** Project addition: run the built-in central API simulator (the embedded default config sets it). */
  centralApiSim: centralApiSim.optional(),
});

/** A loaded, validated config with every default filled in. */
export type KioskConfig = z.infer<typeof configSchema>;
export type CardPrinterConfig = NonNullable<KioskConfig['devices']['cardPrinter']>;
export type PaperPrinterConfig = NonNullable<KioskConfig['devices']['paperPrinter']>;
export type ScannerConfig = z.infer<typeof scanner>;
