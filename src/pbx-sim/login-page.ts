/** The simulator's `/basix/login` form (plain HTML, no scripts; labels in English and Japanese). */

const esc = (s: string): string =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

/**
 * The login page HTML.
 * @param next the (already validated, same-origin) path to return to after login.
 * @param error message shown above the form, if any.
 */
export function loginPage(next: string, error?: string): string {
  return `<!doctype html>
<html lang="ja"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Basix PBX — Login / ログイン</title>
<link rel="icon" href="data:,">
<style>
body{font-family:system-ui,sans-serif;background:#f1f5f9;color:#0f172a;display:grid;place-items:center;min-height:100vh;margin:0}
@media (prefers-color-scheme: dark){body{background:#0f172a;color:#e2e8f0}form{background:#1e293b!important}input{background:#0f172a;color:#e2e8f0}}
form{background:#fff;padding:2rem;border-radius:12px;box-shadow:0 4px 24px #0002;min-width:300px}
label{display:block;margin:.8rem 0 .3rem;font-size:.9rem}input{width:100%;padding:.5rem;box-sizing:border-box;border:1px solid #94a3b8;border-radius:6px;font-size:1rem}
button{margin-top:1.2rem;width:100%;padding:.6rem;border:0;border-radius:6px;background:#2563eb;color:#fff;font-size:1rem;cursor:pointer}
.err{color:#dc2626;margin:.5rem 0}.hint{font-size:.8rem;color:#64748b;margin-top:1rem}
</style></head><body>
<form method="post" action="/basix/login">
<h1 style="font-size:1.3rem;margin:0 0 .5rem">Basix PBX (simulator)</h1>
${error ? `<p class="err" role="alert">${esc(error)}</p>` : ''}
<input type="hidden" name="next" value="${esc(next)}">
<label for="username">Username / ユーザー名</label>
<input id="username" name="username" autocomplete="username" required autofocus>
<label for="password">Password / パスワード</label>
<input id="password" name="password" type="password" autocomplete="current-password" required>
<button type="submit">Log in / ログイン</button>
<p class="hint">Demo: operator / operator · admin / admin · user1 / user1</p>
</form></body></html>`;
}
