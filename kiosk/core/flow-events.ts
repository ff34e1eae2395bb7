import type { FlowEvent } from '../flow/machine.ts';
import type { Intent } from '../view.ts';

/** Intents that are one flow event each, with nothing to carry. */
const SIMPLE: Partial<Record<Intent['type'], FlowEvent['type']>> = {
  confirm: 'CONFIRM',
  cancel: 'CANCEL',
  retry: 'RETRY',
  home: 'HOME',
  info: 'INFO',
  skip: 'SKIP',
  touch: 'TOUCH',
  'manual-entry': 'MANUAL_ENTRY',
  'nik-login': 'NIK_LOGIN',
  audio: 'AUDIO',
  'text-size': 'TEXT_SIZE',
};

/**
 * The flow events an applicant's intent stands for (none for the intents the core handles itself: a
 * scan, the camera's state, maintenance). Choosing a language is also a touch: the idle time restarts.
 */
export function flowEventsOf(intent: Intent): FlowEvent[] {
  switch (intent.type) {
    case 'language':
      return [{ type: 'LANGUAGE', locale: intent.locale === 'en' ? 'en' : 'id' }, { type: 'TOUCH' }];
    case 'application-no':
      return [{ type: 'APPLICATION_NO', applicationNo: String(intent.applicationNo).toUpperCase() }];
    case 'nik':
      return [{ type: 'NIK', nik: String(intent.nik) }];
    case 'choose':
      return [{ type: 'CHOOSE', applicationNo: String(intent.applicationNo).toUpperCase() }];
    case 'pin':
      return [{ type: 'PIN', pin: String(intent.pin) }];
    case 'volume':
      return [{ type: 'VOLUME', step: intent.step }, { type: 'TOUCH' }];
    case 'rating':
      return [{ type: 'RATING', rating: intent.rating }];
    default: {
      const type = SIMPLE[intent.type];
      return type ? [{ type } as FlowEvent] : [];
    }
  }
}
