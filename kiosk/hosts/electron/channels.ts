/** Main -> renderer: every View the core publishes. */
export const VIEW_CHANNEL = 'kiosk:view';

/** Renderer -> main: the applicant's intents, validated in main before they reach the core. */
export const INTENT_CHANNEL = 'kiosk:intent';
