import { useTranslation } from 'react-i18next';
import { disconnect, loginUrl, useConsoleStore } from '../../stores/console-store.ts';
import { clearMissedCallsOnLogout } from '../missed/missed-owner.ts';
import { userLabel } from '../../components/caller.ts';
import { cleanText } from '../../components/text.tsx';
import { useOwnUser } from './own-user.ts';

/**
 * Leave the console: close the connection, save (a known user's) or delete (this browser's, when
 * no user is known) the missed calls, then go to the PBX's login page
 * `/basix/login` (PROTOCOL.md "Connection") with a `next` back here. The CTI connection is closed
 * first (no retry while the page unloads). The PBX's own log-out address is not documented, so the PBX's
 * web session itself is not ended here (the PBX's login page / web app does that).
 * @param go how to navigate (tests); default `location.assign`
 */
export function logOut(go: (url: string) => void = (url) => window.location.assign(url)): void {
  disconnect();
  // a known user's list is saved and kept for them; this browser's list (no user known) is deleted
  void clearMissedCallsOnLogout().then(() => go(loginUrl()));
}

/**
 * Header: who is logged in — the session's username when the PBX tells it (our optional session
 * endpoint), else the "My PBX user id" user as "My phone: …", else nothing — and Log out. The name
 * gives way first when the header is short of room (`lg:` is in rem: hidden at large text sizes).
 */
export function HeaderUser({ onLogOut = () => logOut() }: { onLogOut?: () => void }) {
  const { t } = useTranslation();
  const username = useConsoleStore((s) => cleanText(s.session?.username ?? ''));
  const { id, user } = useOwnUser();
  const text = username ? t('workflow.loggedInAs', { name: username }) : id !== null ? t('workflow.myPhone', { name: userLabel(user, id) }) : '';
  return (
    <>
      {text && (
        <span className="hidden max-w-56 truncate text-sm text-slate-600 lg:inline dark:text-slate-300" title={text}>
          {text}
        </span>
      )}
      <button type="button" className="btn whitespace-nowrap" onClick={onLogOut}>
        {t('workflow.logout')}
      </button>
    </>
  );
}
