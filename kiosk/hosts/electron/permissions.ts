import { isAdmUrl } from './protocol.ts';

/** What Electron tells a permission handler about a `media` request. */
interface PermissionDetails {
  mediaTypes?: Array<'video' | 'audio'>;
  requestingUrl?: string;
  securityOrigin?: string;
}

/**
 * The one permission the kiosk grants: the camera (video only, no microphone) for the UI's own
 * origin, which decodes print codes when the scanner is the camera. Everything else is denied.
 */
export function isPermissionAllowed(
  permission: string,
  origin: string | undefined,
  details: PermissionDetails = {},
) {
  if (permission !== 'media') return false;
  if (!isAdmUrl(origin)) return false;
  const types = details.mediaTypes ?? [];
  return types.every((type) => type === 'video');
}

/** The slice of Electron's `Session` the permission lockdown uses. */
export interface PermissionSession {
  setPermissionRequestHandler(
    handler: (
      contents: unknown,
      permission: string,
      callback: (granted: boolean) => void,
      details: PermissionDetails,
    ) => void,
  ): void;
  setPermissionCheckHandler(
    handler: (contents: unknown, permission: string, origin: string, details: PermissionDetails) => boolean,
  ): void;
  setDevicePermissionHandler(handler: () => boolean): void;
}

/** Installs the request, check and device handlers on a session. */
export function installPermissionHandlers(session: PermissionSession): void {
  session.setPermissionRequestHandler((_contents, permission, callback, details) => {
    callback(isPermissionAllowed(permission, details.requestingUrl ?? details.securityOrigin, details));
  });
  session.setPermissionCheckHandler((_contents, permission, origin, details) =>
    isPermissionAllowed(permission, origin, details),
  );
  // USB, HID and serial from the page: never. The drivers run in Node, not in the renderer.
  session.setDevicePermissionHandler(() => false);
}
