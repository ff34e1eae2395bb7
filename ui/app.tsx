import type { ComponentChildren } from 'preact';
import { useEffect, useLayoutEffect, useMemo, useRef, useState } from 'preact/hooks';
import type { View } from '../kiosk/view.ts';
import type { KioskBridge } from './bridge.ts';
import { IdleOverlay } from './components/idle-overlay.tsx';
import { createTranslate } from './i18n/translate.ts';
import { attachKeyboardScanner } from './keyboard-scanner.ts';
import { MaintenanceScreen } from './maintenance/index.tsx';
import { CheckingScreen } from './screens/checking.tsx';
import { ChooseScreen } from './screens/choose.tsx';
import { CollectScreen } from './screens/collect.tsx';
import { ConfirmScreen } from './screens/confirm.tsx';
import { DoneScreen } from './screens/done.tsx';
import { ErrorScreen } from './screens/error.tsx';
import { HomeScreen } from './screens/home.tsx';
import { InfoScreen } from './screens/info.tsx';
import { ManualEntryScreen } from './screens/manual-entry.tsx';
import { NikEntryScreen } from './screens/nik-entry.tsx';
import { OutOfServiceScreen } from './screens/out-of-service.tsx';
import { PinScreen } from './screens/pin.tsx';
import { PrintingScreen } from './screens/printing.tsx';
import type { ScreenProps } from './screens/screen-props.ts';
import { SurveyScreen } from './screens/survey.tsx';
import { serviceInfoEntries } from './service-info.ts';
import { createTouchThrottle } from './touch-throttle.ts';

/** The screens where a code may be scanned (kiosk-runtime.md, keyboard-mode scanner). */
const SCAN_SCREENS: ReadonlySet<string> = new Set([
  'home',
  'error',
  'done',
  'survey',
  'collect',
  'manual-entry',
  'nik-entry',
  'pin',
]);

interface AppProps {
  bridge: KioskBridge;
  /** The camera decoder for `home` when the scanner is the camera; it reports each decoded text. */
  renderCamera?: (onText: (text: string) => void) => ComponentChildren;
}

/**
 * The applicant's UI: renders the latest View the core sent and reports intents. Until the first View
 * arrives it shows no screen at all (no `data-screen`), so a test never sees a screen the core did not choose.
 */
export function App({ bridge, renderCamera }: AppProps) {
  const [view, setView] = useState<View | undefined>(undefined);
  useEffect(() => bridge.subscribe(setView), [bridge]);

  useEffect(() => {
    const touch = createTouchThrottle(
      () => bridge.send({ type: 'touch' }),
      () => performance.now(),
    );
    window.addEventListener('pointerdown', touch, { capture: true, passive: true });
    return () => window.removeEventListener('pointerdown', touch, { capture: true });
  }, [bridge]);

  // A keyboard-mode scanner (kiosk-runtime.md): its fast runs of keys are scans, on the screens that take one.
  const screenNow = useRef('');
  screenNow.current = view?.screen ?? '';
  const maxInterKeyMs = view?.keyboardScanner?.maxInterKeyMs;
  useEffect(() => {
    if (maxInterKeyMs === undefined) return;
    return attachKeyboardScanner(window, {
      maxInterKeyMs,
      onScan: (text) => bridge.send({ type: 'scan', text, source: 'keyboard' }),
      isActive: () => SCAN_SCREENS.has(screenNow.current),
    });
  }, [maxInterKeyMs, bridge]);

  const locale = view?.locale ?? 'id';
  const t = useMemo(() => createTranslate(locale), [locale]);
  // Large text is a class on the root, so the idle warning drawn over a screen follows it too; set
  // before paint, so a screen never shows a frame in the other size.
  const largeText = view?.largeText === true;
  useLayoutEffect(() => {
    document.documentElement.lang = locale;
    document.documentElement.classList.toggle('large-text', largeText);
  }, [locale, largeText]);

  if (!view) return <div class="boot" aria-busy="true" />;

  const props: ScreenProps = { view, t, send: bridge.send, assetUrl: bridge.assetUrl };
  return (
    <>
      {renderScreen(props, renderCamera)}
      {view.idleWarning && !view.screen.startsWith('maintenance-') && (
        <IdleOverlay secondsLeft={view.idleWarning.secondsLeft} t={t} send={bridge.send} />
      )}
    </>
  );
}

function renderScreen(props: ScreenProps, renderCamera: AppProps['renderCamera']) {
  const { view, send } = props;
  if (view.screen.startsWith('maintenance-'))
    return <MaintenanceScreen view={view} send={send} t={props.t} />;
  switch (view.screen) {
    case 'home': {
      const camera =
        view.camera && renderCamera ? renderCamera((text) => send({ type: 'scan', text })) : undefined;
      return <HomeScreen {...props} camera={camera} />;
    }
    case 'manual-entry':
      return <ManualEntryScreen {...props} view={view} />;
    case 'nik-entry':
      return <NikEntryScreen {...props} view={view} />;
    case 'choose':
      return <ChooseScreen {...props} view={view} />;
    case 'checking':
      return <CheckingScreen {...props} />;
    case 'pin':
      return <PinScreen {...props} view={view} />;
    case 'confirm':
      return <ConfirmScreen {...props} view={view} />;
    case 'printing':
      return <PrintingScreen {...props} view={view} />;
    case 'collect':
      return <CollectScreen {...props} view={view} />;
    case 'survey':
      return <SurveyScreen {...props} />;
    case 'done':
      return <DoneScreen {...props} />;
    case 'error':
      return <ErrorScreen {...props} view={view} />;
    case 'out-of-service':
      return <OutOfServiceScreen {...props} />;
    case 'info':
      return <InfoScreen {...props} entries={serviceInfoEntries()} />;
    default:
      // A screen this UI does not know yet: keep the one-screen rule and offer the way home.
      return (
        <ErrorScreen
          {...props}
          view={{ ...view, screen: 'error', reason: 'service-unavailable', canRetry: false }}
        />
      );
  }
}
