import { describe, expect, it } from 'vitest';
import { makeKkPdf } from '../../test/support/kk-pdf.ts';
import { ManualClock } from '../shared/clock.ts';
import { err, ok } from '../shared/result.ts';
import {
  sumatraPath,
  WindowsPaperPrinter,
  windowsJobState,
  windowsPrinterStatus,
} from './windows-printer.ts';

describe('Windows printer status', () => {
  it('maps Win32_Printer to the status union', () => {
    expect(windowsPrinterStatus('{"PrinterStatus":3,"DetectedErrorState":2,"WorkOffline":false}')).toEqual({
      state: 'READY',
    });
    expect(windowsPrinterStatus('{"PrinterStatus":4,"DetectedErrorState":3,"WorkOffline":false}')).toEqual({
      state: 'PRINTING',
    });
    expect(windowsPrinterStatus('{"PrinterStatus":1,"DetectedErrorState":4}').state).toBe('MEDIA_EMPTY');
    expect(windowsPrinterStatus('{"PrinterStatus":1,"DetectedErrorState":8}').state).toBe('MEDIA_JAM');
    expect(windowsPrinterStatus('{"PrinterStatus":1,"DetectedErrorState":7}').state).toBe('DOOR_OPEN');
    expect(windowsPrinterStatus('{"PrinterStatus":3,"DetectedErrorState":0,"WorkOffline":true}').state).toBe(
      'OFFLINE',
    );
    expect(windowsPrinterStatus('').state).toBe('OFFLINE');
  });

  it('maps Win32_PrintJob status text', () => {
    expect(windowsJobState('{"JobStatus":"Printing","Status":"OK"}')).toBe('printing');
    expect(windowsJobState('{"JobStatus":"Error | Printing","Status":"Degraded"}')).toBe('failed');
    expect(windowsJobState('{"JobStatus":"","Status":"OK"}')).toBe('pending');
    expect(windowsJobState('')).toBe('unknown');
  });

  it('keeps SumatraPDF outside the asar', () => {
    expect(sumatraPath()).toMatch(/SumatraPDF.*\.exe$/);
    expect(sumatraPath()).not.toContain('app.asar/');
  });
});

describe('WindowsPaperPrinter', () => {
  const pdfPromise = makeKkPdf({ pages: 2 });

  it('turns a string thrown by pdf-to-printer into a refused job', async () => {
    const printer = new WindowsPaperPrinter({
      printer: 'HP A4',
      powerShell: async () => ok('{"PrinterStatus":3,"DetectedErrorState":2}'),
      print: async () => {
        throw 'Operating System not supported';
      },
    });
    expect(await printer.submit({ pdf: await pdfPromise, expectedPages: 2, jobName: 'KK-1' })).toEqual({
      ok: false,
      error: { kind: 'refused', fault: 'ERROR', detail: 'Operating System not supported' },
    });
  });

  it('prints through SumatraPDF and follows the job until it left the queue', async () => {
    const clock = new ManualClock();
    const printed: { file: string; options: Record<string, unknown> }[] = [];
    let polls = 0;
    const printer = new WindowsPaperPrinter({
      printer: "Kiosk's A4",
      clock,
      powerShell: async (cmd) => {
        if (cmd.includes('Win32_Printer ')) {
          expect(cmd).toContain("Name='Kiosk''s A4'");
          return ok('{"PrinterStatus":3,"DetectedErrorState":2}');
        }
        polls += 1;
        return ok(polls < 3 ? '{"JobStatus":"Printing","Status":"OK"}' : '');
      },
      print: async (file, options) => {
        printed.push({ file, options });
      },
    });
    const done = printer.print({ pdf: await pdfPromise, expectedPages: 2, jobName: 'KK-1' });
    let finished = false;
    void done.then(() => {
      finished = true;
    });
    // Submitting writes a temp file (real I/O), so real time passes between the clock's steps.
    for (let i = 0; i < 200 && !finished; i++) {
      await clock.advanceAsync(500);
      await new Promise((r) => setTimeout(r, 2));
    }
    const result = await done;
    expect(result.ok).toBe(true);
    expect(printed[0]?.options).toMatchObject({ printer: "Kiosk's A4", silent: true, paperSize: 'A4' });
    expect(printed[0]?.file).toMatch(/KK-1-\d+-1\.pdf$/);
  });

  it('is OFFLINE when PowerShell fails, and refuses the job', async () => {
    const printer = new WindowsPaperPrinter({ printer: 'X', powerShell: async () => err('not found') });
    expect(await printer.getStatus()).toEqual({ state: 'OFFLINE', detail: 'not found' });
    expect(await printer.submit({ pdf: await pdfPromise, expectedPages: 2, jobName: 'KK' })).toMatchObject({
      ok: false,
      error: { kind: 'refused', fault: 'OFFLINE' },
    });
  });
});
