/**
 * The strict profile's stand-in for the PBX's own web app (`/basix/app/`): where a real PBX's
 * login form sends the user after logging in, instead of back to the console (issue 9). A plain
 * page with the user's name, a link to the console if it is served on this origin, and log-out.
 */

const esc = (s: string): string =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

/** Path of the simulated web app (the strict profile's redirect after login). */
export const WEB_APP_PATH = '/basix/app/';

/**
 * The web app page.
 * @param username the logged-in user.
 */
export function webAppPage(username: string): string {
  return `<!doctype html>
<html lang="ja"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Basix PBX — Web app (simulated)</title><link rel="icon" href="data:,">
<style>body{font-family:system-ui,sans-serif;max-width:40rem;margin:3rem auto;padding:0 1rem}</style>
</head><body>
<h1>Basix PBX</h1>
<p>Logged in as <b>${esc(username)}</b>. This page stands in for the PBX's own web app (simulator, strict profile).</p>
<p><a href="/">Open the operator console / オペレーター コンソールを開く</a> (if it is served on this host)</p>
<form method="post" action="/basix/logout"><button type="submit">Log out / ログアウト</button></form>
</body></html>`;
}
