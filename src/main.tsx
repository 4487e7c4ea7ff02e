/**
 * Entry point of the operator console: i18n (synchronous, bundled resources), the React root
 * (StrictMode), and the CTI connection (worker + store) started once for the page's lifetime.
 */
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import './index.css';
import { initI18n, resolveLanguage } from './i18n/index.ts';
import { useSettings } from './features/settings/settings-store.ts';
import { startConnection } from './features/connection/connection-manager.ts';
import { bindMissedCallsToSession } from './features/missed/missed-owner.ts';
import { App } from './app/app.tsx';

initI18n(resolveLanguage(useSettings.getState().language));
bindMissedCallsToSession(); // before the first session arrives: the missed-call list is per user
startConnection({
  // One app_name per kind of console page: the PBX allows two connections per login and app_name.
  appName: 'operator-console',
  getSettings: () => {
    // "All calls" and the silence limit (⚙ Settings); older stored settings may lack them.
    const st = useSettings.getState() as { fullEvents?: 'auto' | 'always' | 'never'; silenceMinutes?: number };
    return { fullEvents: st.fullEvents ?? 'auto', silenceMinutes: st.silenceMinutes ?? 30 };
  },
  subscribeSettings: (cb) => useSettings.subscribe(cb),
});

const rootEl = document.getElementById('root');
if (!rootEl) throw new Error('index.html has no #root element');
createRoot(rootEl).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
