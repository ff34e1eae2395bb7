import { z } from 'zod';

/**
 * The kiosk config file of kiosk-runtime.md. Every object is strict: an unknown key is an error, so a
 * misspelt setting never silently falls back to a default on a kiosk in the field.
 */
const issuerKey = z.strictObject({
  kid: z.string().min(1),
  /** base64url raw Ed25519 public key (32 bytes). */
  publicKey: z.string().regex(/^[A-Za-z0-9_-]{43}$/, 'a base64url raw Ed25519 public key (43 characters)'),
});

const cardPrinter = z.discriminatedUnion('driver', [
  z.strictObject({
    driver: z.literal('serial'),
    path: z.string().min(1),
    baudRate: z.number().int().positive().default(115200),
  }),
  z.strictObject({
    driver: z.literal('usb'),
    vendorId: z.number().int().min(0).max(0xffff).optional(),
    productId: z.number().int().min(0).max(0xffff).optional(),
  }),
  z.strictObject({
    driver: z.literal('sim'),
    /** Simulated time: 1 is a real printer's pace (about 21 s a card), 0.05 one card in about a second. */
    timeFactor: z.number().positive().max(10).default(0.05),
    blankCards: z.number().int().min(0).default(100),
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
]);

const centralApiSim = z.strictObject({
  /** Port of the built-in central API simulator; 0 picks a free one. */
  port: z.number().int().min(0).max(65535).default(8080),
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
  /** Project addition: run the built-in central API simulator (the embedded default config sets it). */
  centralApiSim: centralApiSim.optional(),
});

/** A loaded, validated config with every default filled in. */
export type KioskConfig = z.infer<typeof configSchema>;
export type CardPrinterConfig = NonNullable<KioskConfig['devices']['cardPrinter']>;
export type PaperPrinterConfig = NonNullable<KioskConfig['devices']['paperPrinter']>;
export type ScannerConfig = z.infer<typeof scanner>;
