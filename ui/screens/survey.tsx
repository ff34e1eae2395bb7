import { ScreenFrame } from '../components/screen-frame.tsx';
import type { ScreenProps } from './screen-props.ts';

/** The four answers of the Survei Kepuasan Masyarakat scale, worst to best. */
export const SURVEY_RATINGS = [1, 2, 3, 4] as const;

const FACES: Record<(typeof SURVEY_RATINGS)[number], string> = { 1: '☹', 2: '😐', 3: '🙂', 4: '😄' };

/** One tap on the satisfaction scale, or skip. */
export function SurveyScreen({ view, t, send }: ScreenProps) {
  return (
    <ScreenFrame screen="survey" locale={view.locale} t={t} send={send}>
      <h1 id="survey-title">{t('survey.title')}</h1>
      <p class="lead">{t('survey.hint')}</p>
      <fieldset class="ratings" aria-labelledby="survey-title">
        {SURVEY_RATINGS.map((rating) => (
          <button
            type="button"
            class={`btn rating rating-${rating}`}
            key={rating}
            data-rating={String(rating)}
            onClick={() => send({ type: 'rating', rating })}
          >
            <span class="rating-face" aria-hidden="true">
              {FACES[rating]}
            </span>
            <span class="rating-label">{t(`survey.rating${rating}`)}</span>
          </button>
        ))}
      </fieldset>
      <div class="actions">
        <button
          type="button"
          class="btn btn-ghost btn-wide"
          data-action="skip"
          onClick={() => send({ type: 'skip' })}
        >
          {t('action.skip')}
        </button>
      </div>
    </ScreenFrame>
  );
}
