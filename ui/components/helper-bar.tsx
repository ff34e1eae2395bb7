import { VOLUME_MIN } from '../../config/volume.ts';
import type { Intent, Locale } from '../../kiosk/view.ts';
import type { Translate } from '../i18n/translate.ts';
import { Icon } from './icon.tsx';

interface HelperBarProps {
  locale: Locale;
  audio: boolean;
  /** With spoken guidance on: its volume in percent, with buttons to change it. */
  volume?: number;
  largeText: boolean;
  t: Translate;
  send: (intent: Intent) => void;
}

/**
 * The helpers every applicant screen has, at the bottom within seated reach: language, spoken
 * guidance, large text and a call for staff. Audio and text size are toggles (`aria-pressed`); with
 * spoken guidance on, a row above them turns its volume down and up.
 */
export function HelperBar({ locale, audio, volume, largeText, t, send }: HelperBarProps) {
  const next: Locale = locale === 'id' ? 'en' : 'id';
  return (
    <nav class="helpers" aria-label={t('helpers.label')}>
      {audio && volume !== undefined && (
        <fieldset class="volume" aria-label={t('volume.label')}>
          <button
            type="button"
            class="btn helper-volume"
            data-action="volume-down"
            disabled={volume <= VOLUME_MIN}
            onClick={() => send({ type: 'volume', step: -1 })}
          >
            {t('volume.down')}
          </button>
          <output class="volume-level" data-volume={volume}>
            {t('volume.level', { volume })}
          </output>
          <button
            type="button"
            class="btn helper-volume"
            data-action="volume-up"
            disabled={volume >= 100}
            onClick={() => send({ type: 'volume', step: 1 })}
          >
            {t('volume.up')}
          </button>
        </fieldset>
      )}
      <button
        type="button"
        class="btn helper"
        data-action="language"
        lang={next}
        aria-label={t('language.switchLabel')}
        onClick={() => send({ type: 'language', locale: next })}
      >
        <Icon name="language" />
        <span>{t('language.switch')}</span>
      </button>
      <button
        type="button"
        class="btn helper"
        data-action="audio"
        aria-pressed={audio}
        onClick={() => send({ type: 'audio' })}
      >
        <Icon name="audio" />
        <span>{t('action.audio')}</span>
      </button>
      <button
        type="button"
        class="btn helper"
        data-action="text-size"
        aria-pressed={largeText}
        onClick={() => send({ type: 'text-size' })}
      >
        <Icon name="text-size" />
        <span>{t('action.textSize')}</span>
      </button>
      <button
        type="button"
        class="btn helper helper-staff"
        data-action="call-staff"
        onClick={() => send({ type: 'call-staff' })}
      >
        <Icon name="call-staff" />
        <span>{t('action.callStaff')}</span>
      </button>
    </nav>
  );
}
