import { assertChromiumInstalled } from './support/chromium';

/**
 * Fail the whole run, with instructions, when the system Chromium is missing. The tests are
 * never skipped for that: a green run must mean the console was exercised in a browser.
 */
export default function globalSetup(): void {
  assertChromiumInstalled();
}
