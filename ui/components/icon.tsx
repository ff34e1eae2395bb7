import alert from '../icons/alert.svg';
import audio from '../icons/audio.svg';
import callStaff from '../icons/call-staff.svg';
import card from '../icons/card.svg';
import check from '../icons/check.svg';
import closed from '../icons/closed.svg';
import document from '../icons/document.svg';
import face1 from '../icons/face-1.svg';
import face2 from '../icons/face-2.svg';
import face3 from '../icons/face-3.svg';
import face4 from '../icons/face-4.svg';
import hourglass from '../icons/hourglass.svg';
import language from '../icons/language.svg';
import textSize from '../icons/text-size.svg';

/**
 * The project's own SVG icons (`ui/icons/`), served with the UI: emoji print as empty boxes with the
 * kiosk's fonts. Icons are decoration beside words, so they carry no name of their own.
 */
const ICONS = {
  alert,
  audio,
  'call-staff': callStaff,
  card,
  check,
  closed,
  document,
  'face-1': face1,
  'face-2': face2,
  'face-3': face3,
  'face-4': face4,
  hourglass,
  language,
  'text-size': textSize,
} as const;

/** The name of an icon in `ui/icons/`. */
export type IconName = keyof typeof ICONS;

export function Icon({ name, class: className }: { name: IconName; class?: string }) {
  return (
    <img
      class={className ? `icon ${className}` : 'icon'}
      src={ICONS[name]}
      alt=""
      aria-hidden="true"
      draggable={false}
    />
  );
}
