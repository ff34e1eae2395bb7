import type { ServiceInfo } from '../kiosk/documents/service-info/schema.ts';

/** Put into the bundle by `ui/build.ts` from `config/service-info/*.json` (already checked there). */
declare const __ADM_SERVICE_INFO__: ServiceInfo[] | undefined;

/** The service-information entries for the `info` screen, in display order. */
export function serviceInfoEntries(): ServiceInfo[] {
  return typeof __ADM_SERVICE_INFO__ === 'undefined' ? [] : __ADM_SERVICE_INFO__;
}
