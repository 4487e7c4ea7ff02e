/**
 * Entry point of the operator console: i18n (synchronous, bundled resources), the React root
 * (StrictMode), the CTI connection (worker + store) started once for the page's lifetime, and the
 * queue statistics beside the store. `/wallboard` (issue 13) is the same page with the wall
 * screen instead of the console, on a connection of its own app_name (`operator-wallboard`: the
 * PBX allows two connections per login and app_name, so a wallboard and a console do not push
 * each other out); it is loaded only on that route.
 */
import { lazy, StrictMode, Suspense } from 'react';
import { createRoot } from 'react-dom/client';
import './index.css';
import { initI18n, resolveLanguage } from './i18n/index.ts';
import { useSettings } from './features/settings/settings-store.ts';
import { startConnection } from './features/connection/connection-manager.ts';
import { bindMissedCallsToSession } from './features/missed/missed-owner.ts';
import { App } from './app/app.tsx';
import { startQueueStats } from './features/stats/stats-feed.ts';
import { isWallboardPath } from './features/wallboard/wallboard-route.ts';

const WallboardPage = lazy(() => import('./features/wallboard/wallboard-page.tsx').then((m) => ({ default: m.WallboardPage })));
const wallboard = isWallboardPath(window.location.pathname);

initI18n(resolveLanguage(useSettings.getState().language));
// the missed-call list is per user, and kept by the console only (the wallboard shows none)
if (!wallboard) bindMissedCallsToSession(); // before the first session arrives
startConnection({
  // One app_name per kind of console page: the PBX allows two connections per login and app_name.
  appName: wallboard ? 'operator-wallboard' : 'operator-console',
  getSettings: () => {
    // "All calls" and the silence limit (⚙ Settings); older stored settings may lack them.
    const st = useSettings.getState() as { fullEvents?: 'auto' | 'always' | 'never'; silenceMinutes?: number };
    return { fullEvents: st.fullEvents ?? 'auto', silenceMinutes: st.silenceMinutes ?? 30 };
  },
  subscribeSettings: (cb) => useSettings.subscribe(cb),
});
startQueueStats();

const rootEl = document.getElementById('root');
if (!rootEl) throw new Error('index.html has no #root element');
createRoot(rootEl).render(
  <StrictMode>
    {wallboard ? (
      <Suspense fallback={null}>
        <WallboardPage />
      </Suspense>
    ) : (
      <App />
    )}
  </StrictMode>,
);
