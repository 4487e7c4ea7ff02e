import { lazy, Suspense, useCallback, useEffect, useLayoutEffect, useState, type KeyboardEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { RingingPanel } from '../features/ringing/ringing-panel.tsx';
import { QueuesPanel } from '../features/queues/queues-panel.tsx';
import { ParkPanel } from '../features/park/park-panel.tsx';
import { UsersPanel } from '../features/users/users-panel.tsx';
import { GroupsPanel } from '../features/groups/groups-panel.tsx';
import { MissedPanel } from '../features/missed/missed-panel.tsx';
import { ConnectionStatus } from '../features/banner/connection-status.tsx';
import { SystemBanner } from '../features/banner/system-banner.tsx';
import { DiagnosticsButton } from '../features/diagnostics/diagnostics-button.tsx';
import { CallDetailDialog } from '../features/call-detail/call-detail-dialog.tsx';
import { CallsInProgressPanel } from '../features/in-progress/calls-in-progress-panel.tsx';
import { HeaderUser } from '../features/actions/header-user.tsx';
import { isComposingKey } from '../features/actions/ime.ts';
import { resolveCallUuid } from '../stores/calls-in-progress.ts';
import { useConsoleStore } from '../stores/console-store.ts';
import { SettingsDialog } from '../features/settings/settings-dialog.tsx';
import { StatsButton } from '../features/stats/stats-button.tsx';
import { useSettings } from '../features/settings/settings-store.ts';
import { installTheme } from '../features/settings/theme.ts';
import { installAudioUnlock, isAudioUnlocked } from '../features/ringing/ring-sound.ts';
import { resolveLanguage, initI18n } from '../i18n/index.ts';
import { PanelErrorBoundary } from '../components/error-boundary.tsx';
import { ModalDialog } from '../components/modal-dialog.tsx';
import { notifyRootFontChange } from '../components/use-root-font.ts';

const DiagnosticsDialog = lazy(() => import('../features/diagnostics/diagnostics-dialog.tsx').then((m) => ({ default: m.DiagnosticsDialog })));

type Open = { kind: 'none' } | { kind: 'call'; uuid: string; autoTake?: boolean } | { kind: 'settings' } | { kind: 'diagnostics' };

/**
 * The "take" key on a call of a list (issue 11): `T`, and `Alt+T` / `Ctrl+Enter` (⌘+Enter) which
 * also work while a Japanese input method is on (by the physical key, `code`, not the character).
 */
export function isTakeKey(e: Pick<KeyboardEvent, 'key' | 'code' | 'ctrlKey' | 'metaKey' | 'altKey' | 'shiftKey'>): boolean {
  if (e.key === 'Enter') return e.ctrlKey || e.metaKey;
  if (e.ctrlKey || e.metaKey) return false;
  return e.code === 'KeyT' || e.key === 't' || e.key === 'T';
}

/**
 * The console page: header (title, connection status, who is logged in and Log out, diagnostics,
 * settings), the stop/message banner, and the panels. At 1366×768 ringing calls (with calls in
 * progress under them), queues and park slots share the top row
 * and the users table takes the remaining height with its own scroll; groups and missed calls
 * stack on the right. Dialogs (call detail, settings, diagnostics) open over it.
 */
export function App() {
  const { t } = useTranslation();
  const [open, setOpen] = useState<Open>({ kind: 'none' });
  const close = useCallback(() => setOpen({ kind: 'none' }), []);
  const openCall = useCallback((uuid: string) => setOpen({ kind: 'call', uuid }), []);
  // A user's call cell names the user's own leg: act on the caller's (park / transfer / take).
  const openUserCall = useCallback((legUuid: string) => setOpen({ kind: 'call', uuid: resolveCallUuid(useConsoleStore.getState().channel, legUuid) }), []);
  // T / Alt+T / Ctrl+Enter on a call of a list (its button carries data-call): open it and take it.
  const onMainKeyDown = useCallback((e: KeyboardEvent<HTMLElement>) => {
    if (isComposingKey(e) || !isTakeKey(e)) return;
    const item = (e.target as HTMLElement).closest?.('[data-call]');
    const uuid = item?.getAttribute('data-call');
    if (!uuid) return;
    e.preventDefault();
    setOpen({ kind: 'call', uuid, autoTake: true });
  }, []);
  const openDiagnostics = useCallback(() => setOpen({ kind: 'diagnostics' }), []);
  const audioReady = useAppearance();
  const sound = useSettings((s) => s.sound);

  return (
    <div className="flex h-dvh flex-col overflow-hidden bg-slate-100 text-slate-900 dark:bg-slate-950 dark:text-slate-100">
      <header className="flex shrink-0 flex-wrap items-center gap-x-3 gap-y-1 border-b border-slate-200 bg-white px-3 py-1.5 dark:border-slate-800 dark:bg-slate-900">
        <h1 className="min-w-[4.5em] truncate text-base font-bold" title={t('app.title')}>
          {t('app.title')}
        </h1>
        {/* The status words never wrap (at 200 % text 接続中（ライブ） took five lines). */}
        <div className="shrink-0 whitespace-nowrap">
          <ConnectionStatus />
        </div>
        {sound && !audioReady && (
          <span className="hidden min-w-0 flex-1 basis-0 truncate text-xs text-slate-500 md:inline dark:text-slate-400">
            <span aria-hidden="true">♪ </span>
            {t('app.soundHint')}
          </span>
        )}
        {/* At 200 % text the buttons take a line of their own rather than run off the screen. */}
        <nav className="ml-auto flex min-w-0 max-w-full items-center gap-2" aria-label={t('app.title')}>
          <HeaderUser />
          <StatsButton />
          <DiagnosticsButton onOpen={openDiagnostics} />
          <button type="button" className="btn" onClick={() => setOpen({ kind: 'settings' })}>
            <span aria-hidden="true">⚙ </span>
            {t('app.settings')}
          </button>
        </nav>
      </header>
      <SystemBanner />
      <main aria-label={t('app.main')} className="console-grid min-h-0 flex-1 gap-2 p-2" onKeyDown={onMainKeyDown}>
        <div className="call-stack">
          <RingingPanel onOpenCall={openCall} />
          <CallsInProgressPanel onOpenCall={openCall} />
        </div>
        <QueuesPanel onOpenCall={openCall} />
        <ParkPanel onOpenCall={openCall} />
        <UsersPanel onOpenCall={openUserCall} />
        <GroupsPanel />
        <MissedPanel />
      </main>
      {open.kind !== 'none' && (
        <PanelErrorBoundary
          key={open.kind === 'call' ? open.uuid : open.kind}
          label={open.kind}
          fallback={(error) => (
            <ModalDialog title={t('error.panel', { panel: t(open.kind === 'call' ? 'detail.heading' : `app.${open.kind}`) })} onClose={close}>
              <p role="alert" className="font-mono text-sm break-words">
                {error.message}
              </p>
            </ModalDialog>
          )}
        >
          {open.kind === 'call' && <CallDetailDialog uuid={open.uuid} onClose={close} autoTake={open.autoTake} />}
          {open.kind === 'settings' && <SettingsDialog onClose={close} />}
          {open.kind === 'diagnostics' && (
            <Suspense fallback={null}>
              <DiagnosticsDialog onClose={close} />
            </Suspense>
          )}
        </PanelErrorBoundary>
      )}
    </div>
  );
}

/**
 * Apply language, zoom and colour-scheme settings to the document; unlock audio on the first gesture.
 * @returns whether audio is unlocked
 */
function useAppearance(): boolean {
  const [audioReady, setAudioReady] = useState(isAudioUnlocked);
  const language = useSettings((s) => s.language);
  const zoom = useSettings((s) => s.zoom);
  useEffect(() => {
    initI18n(resolveLanguage(language));
  }, [language]);
  useEffect(() => {
    const root = document.documentElement;
    if (zoom === 'auto') root.style.removeProperty('font-size');
    else root.style.fontSize = `${16 * zoom}px`;
    // Pixel-sized layouts (the users table's rows and columns) re-measure from the new size.
    notifyRootFontChange();
  }, [zoom]);
  useEffect(() => installAudioUnlock(() => setAudioReady(true)), []);
  // Before the first paint: no flash of the other scheme.
  useLayoutEffect(() => installTheme(), []);
  return audioReady;
}
