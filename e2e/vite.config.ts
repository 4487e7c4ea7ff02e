/**
 * The dev server the end-to-end tests run against (playwright.config.ts `webServer`): the
 * console's own config with the file watcher off.
 *
 * Why: the tests run while files of this working tree change (other work, an editor saving).
 * With the watcher on, a change to any file the config imports (vite.config.ts → the simulator
 * in src/pbx-sim, src/cti/etf, src/app/csp.ts) restarts the dev server: a NEW simulator with no
 * sessions, so the console's next session check gets 401 and it goes to /basix/login in the
 * middle of a test; a change to any other source file reloads the page under test (HMR). Both
 * were seen (docs/e2e.md "Known issues"). Without a watcher the server serves the tree as it was
 * when each module was first requested and never restarts or reloads a page by itself.
 */
import { mergeConfig } from 'vite';
import base from '../vite.config.ts';

export default mergeConfig(base, { server: { watch: null } });
