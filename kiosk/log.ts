import { type DestinationStream, type Logger, pino } from 'pino';

/** The levels the config may name (`log.level`); `info` by default. */
export type LogLevel = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace';

/**
 * Fields that may hold personal data or secrets, at the top of a log record or one level down (`detail.nik`).
 * Whatever a caller passes, these never reach the journal: the session reference is how a line is traced.
 */
const PERSONAL = [
  'nik',
  'name',
  'nama',
  'address',
  'alamat',
  'pin',
  'pinHash',
  'printCode',
  'token',
  'applicationNo',
];
const REDACT = [...PERSONAL, ...PERSONAL.map((key) => `*.${key}`)];

/**
 * The kiosk's structured log: one JSON line per event on stdout, which systemd puts in the journal
 * (`journalctl -u adm-kiosk`). Every line carries the kiosk id and software version; personal fields
 * are censored. `destination` is for tests.
 */
export function createKioskLog(options: {
  kioskId: string;
  version: string;
  level?: LogLevel;
  destination?: DestinationStream;
}): Logger {
  return pino(
    {
      level: options.level ?? 'info',
      base: { kioskId: options.kioskId, version: options.version },
      redact: { paths: REDACT, censor: '[redacted]' },
      timestamp: pino.stdTimeFunctions.isoTime,
    },
    options.destination ?? pino.destination({ dest: 1, sync: true }),
  );
}

/** The logger of one applicant session: each of its lines names the session reference, nothing more. */
export function sessionLog(log: Logger, sessionRef: string): Logger {
  return log.child({ session: sessionRef });
}
