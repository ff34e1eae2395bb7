import { Icon } from '../components/icon.tsx';
import { ScreenFrame } from '../components/screen-frame.tsx';
import type { ScreenProps } from './screen-props.ts';

/** The four answers of the Survei Kepuasan Masyarakat scale, worst to best. */
export const SURVEY_RATINGS = [1, 2, 3, 4] as const;

/** One tap on the satisfaction scale, or skip. */
export function SurveyScreen({ view, t, send }: ScreenProps) {
  return (
    <ScreenFrame
      screen="survey"
      view={view}
      t={t}
      send={send}
      title={{ key: 'survey.title' }}
      instruction={[{ key: 'survey.hint' }]}
      actions={
        <button
          type="button"
          class="btn btn-ghost btn-wide"
          data-action="skip"
          onClick={() => send({ type: 'skip' })}
        >
          {t('action.skip')}
        </button>
      }
    >
      <fieldset class="ratings">
        <legend class="visually-hidden">{t('survey.title')}</legend>
        {SURVEY_RATINGS.map((rating) => (
          <button
            type="button"
            class={`btn rating rating-${rating}`}
            key={rating}
            data-rating={String(rating)}
            onClick={() => send({ type: 'rating', rating })}
          >
            <Icon name={`face-${rating}`} class="rating-face" />
            <span class="rating-label">{t(`survey.rating${rating}`)}</span>
          </button>
        ))}
      </fieldset>
    </ScreenFrame>
  );
}
