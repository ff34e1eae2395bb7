import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadServiceInfo } from '../../kiosk/documents/service-info/load.ts';
import type { View } from '../../kiosk/view.ts';
import { fixedPhrases, type Phrase, phrasePath } from '../../ui/speech/phrases.ts';
import { baseView } from '../support/ui-harness.ts';
import { APPLICANT_VIEWS, applicantView } from './applicant-views.ts';
import { openUi, type UiSession } from './ui-page.ts';

let ui: UiSession;

beforeAll(async () => {
  ui = await openUi(baseView());
  // Record every clip the page plays instead of playing it, and end it at once so the next one starts.
  await ui.page.evaluate(() => {
    const played: string[] = [];
    (window as unknown as { played: string[] }).played = played;
    HTMLAudioElement.prototype.play = function play(this: HTMLAudioElement) {
      played.push(new URL(this.src).pathname.slice(1));
      setTimeout(() => this.dispatchEvent(new Event('ended')), 0);
      return Promise.resolve();
    };
  });
});

afterAll(async () => {
  await ui?.close();
});

const played = () => ui.page.evaluate(() => (window as unknown as { played: string[] }).played.slice());
const clearPlayed = () =>
  ui.page.evaluate(() => {
    (window as unknown as { played: string[] }).played.length = 0;
  });
const clip = (text: string, voice: Phrase['voice'] = 'id') => phrasePath({ voice, text });

/** Shows a View and waits until the page has played `count` clips (or more). */
async function showAndHear(view: View, count: number): Promise<string[]> {
  await clearPlayed();
  await ui.show(view);
  await ui.page.waitForFunction((n) => (window as unknown as { played: string[] }).played.length >= n, count);
  await ui.page.waitForTimeout(100);
  return played();
}

describe('spoken guidance', () => {
  it('serves an espeak-ng clip (a WAV) for every fixed phrase of both languages', async () => {
    const serviceInfo = await loadServiceInfo();
    if (!serviceInfo.ok) throw new Error(serviceInfo.error.join('\n'));
    const phrases = fixedPhrases(serviceInfo.value);
    expect(phrases.length).toBeGreaterThan(300);
    expect(phrases).toContainEqual({ voice: 'en', text: serviceInfo.value[0]!.title.en });
    expect(new Set(phrases.map(phrasePath)).size).toBe(phrases.length);
    const missing: string[] = [];
    for (const phrase of phrases) {
      const response = await fetch(`${ui.harness.origin}/${phrasePath(phrase)}`);
      const body = Buffer.from(await response.arrayBuffer());
      // RIFF....WAVE with audio after the header: espeak-ng wrote it, it is not empty.
      if (
        response.status !== 200 ||
        body.subarray(0, 4).toString() !== 'RIFF' ||
        body.subarray(8, 12).toString() !== 'WAVE' ||
        body.length < 2000
      )
        missing.push(`${phrase.voice}: ${phrase.text}`);
    }
    expect(missing).toEqual([]);
  });

  it('each screen root says its title and instruction in data-spoken', async () => {
    for (const [name, view] of APPLICANT_VIEWS) {
      for (const locale of ['id', 'en'] as const) {
        await ui.show({ ...view, locale });
        const { spoken, shown } = await ui.page.evaluate(() => ({
          spoken: document.querySelector('[data-screen]')!.getAttribute('data-spoken') ?? '',
          shown: [...document.querySelectorAll('h1, .instruction')]
            .map((el) => (el as HTMLElement).innerText.replace(/\s+/g, ' ').trim())
            .join(' '),
        }));
        expect(spoken.startsWith(shown), `${name} ${locale}: "${spoken}" / "${shown}"`).toBe(true);
        expect(shown.length, name).toBeGreaterThan(5);
      }
    }
  });

  it('with audio on, a screen speaks its instruction when it appears; off, it stays silent', async () => {
    const heard = await showAndHear({ ...applicantView('home'), audio: true }, 2);
    expect(heard.slice(0, 2)).toEqual([
      clip('Cetak dokumen kependudukan Anda sendiri'),
      clip('Tempelkan kode QR pada bukti permohonan Anda di bawah pemindai'),
    ]);
    const english = await showAndHear({ ...applicantView('done'), audio: true, locale: 'en' }, 2);
    expect(english).toEqual([clip('Thank you', 'en'), clip('Keep your documents safe. Goodbye.', 'en')]);

    await clearPlayed();
    await ui.show(applicantView('survey'));
    await ui.page.waitForTimeout(300);
    expect(await played()).toEqual([]);
  });

  it('a touched button speaks its name; the audio button sends its intent', async () => {
    await showAndHear({ ...applicantView('home'), audio: true }, 2);
    await clearPlayed();
    await ui.page.click('[data-action="manual-entry"]');
    await ui.harness.waitForIntent((i) => i.type === 'manual-entry');
    await ui.page.waitForFunction(() => (window as unknown as { played: string[] }).played.length > 0);
    expect(await played()).toEqual([clip('Ketik nomor permohonan')]);

    // The language button names the other language, in that language's voice.
    await clearPlayed();
    await ui.page.click('[data-action="language"]');
    await ui.page.waitForFunction(() => (window as unknown as { played: string[] }).played.length > 0);
    expect(await played()).toEqual([clip('Change language to English', 'en')]);

    // A service's name on the info screen is a clip too: the build rendered the service information.
    await showAndHear({ ...applicantView('info'), audio: true }, 2);
    await clearPlayed();
    const title = await ui.page.locator('[data-info="ktp-el"]').innerText();
    await ui.page.click('[data-info="ktp-el"]');
    await ui.page.waitForFunction(() => (window as unknown as { played: string[] }).played.length > 0);
    expect((await played())[0]).toBe(clip(title.trim()));

    await ui.page.click('[data-action="audio"]');
    await ui.harness.waitForIntent((i) => i.type === 'audio');
    expect(await ui.page.getAttribute('[data-action="audio"]', 'aria-pressed')).toBe('true');
  });

  it('never says a touched PIN or NIK key, only that a digit went in', async () => {
    for (const [name, field] of [
      ['pin', '[data-key="7"]'],
      ['nik-entry', '[data-key="7"]'],
      ['nik-entry-pin-wrong', '[data-key="7"]'],
    ] as const) {
      await showAndHear({ ...applicantView(name), audio: true }, 1);
      await clearPlayed();
      await ui.page.click(field);
      await ui.page.waitForFunction(() => (window as unknown as { played: string[] }).played.length > 0);
      await ui.page.waitForTimeout(50);
      expect(await played(), name).toEqual([clip('Angka masuk')]);
    }
    // The application number is no secret: its keys say their names.
    await showAndHear({ ...applicantView('manual-entry'), audio: true }, 1);
    await clearPlayed();
    await ui.page.click('[data-key="3"]');
    await ui.page.waitForFunction(() => (window as unknown as { played: string[] }).played.length > 0);
    expect(await played()).toEqual([clip('3')]);
  });

  it('says numbers digit by digit, and of the NIK only its last digits', async () => {
    const printing = await showAndHear({ ...applicantView('printing'), audio: true }, 5);
    expect(printing.slice(0, 4)).toEqual([
      clip('Kartu sedang dicetak, sekitar'),
      clip('2'),
      clip('0'),
      clip('detik'),
    ]);

    const confirm = await showAndHear({ ...applicantView('confirm'), audio: true }, 7);
    const nik = confirm.indexOf(clip('NIK berakhiran'));
    expect(nik).toBeGreaterThan(0);
    expect(confirm.slice(nik + 1)).toEqual(['0', '0', '0', '1'].map((d) => clip(d)));
    // Never the first digits of the NIK: 3, 5, 7, 4, 0, 1 in a row.
    const digits = confirm.filter((c) =>
      /^[0-9]$/.test(fixedPhrases().find((p) => phrasePath(p) === c)?.text ?? ''),
    );
    expect(digits).toHaveLength(4);

    const reference = await showAndHear({ ...applicantView('error-device-fault'), audio: true }, 10);
    const at = reference.indexOf(clip('Nomor rujukan Anda:'));
    expect(reference.slice(at + 1)).toEqual([...'K7Q29XMD'].map((c) => clip(c)));
  });
});
