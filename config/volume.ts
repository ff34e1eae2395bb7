/**
 * Spoken guidance's volume, in percent: where a session starts when the config says nothing, the
 * quietest an applicant can turn it, and one step of the on-screen buttons. A module of its own, without
 * the config's schema, so that the UI can import it without bundling zod.
 */
export const DEFAULT_VOLUME = 70;
export const VOLUME_MIN = 10;
export const VOLUME_STEP = 10;
