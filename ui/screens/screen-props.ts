import type { Intent, Screen, ViewOf } from '../../kiosk/view.ts';
import type { Translate } from '../i18n/translate.ts';

/** What every applicant screen gets: its View, the translator for its locale, the intent sender. */
export interface ScreenProps<S extends Screen = Screen> {
  view: ViewOf<S>;
  t: Translate;
  send: (intent: Intent) => void;
  /** Turns a same-origin asset path from the View (a preview) into the URL the current host serves. */
  assetUrl: (path: string) => string;
}
