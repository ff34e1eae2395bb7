export { KioskMetrics, type KioskMetricsOptions } from './kiosk-metrics.ts';
export type { DeviceName, KioskState, Outcome, Route, Step, SupplyName } from './labels.ts';
export {
  meteredFetch,
  observeAuditEntry,
  observeCardPrinter,
  observeHeartbeat,
  observeSupplies,
  routeOf,
  watchMethod,
} from './observe.ts';
export { type MetricsServer, startMetricsServer } from './server.ts';
