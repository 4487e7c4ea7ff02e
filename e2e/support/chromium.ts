/**
 * The system Chromium used by the end-to-end tests and by bench:ui. Nothing in this project
 * downloads a browser: Playwright is pointed at an installed executable.
 */
import { accessSync, constants } from 'node:fs';

/** Path of the Chromium executable: `$CHROMIUM_PATH`, default `/usr/bin/chromium`. */
export const chromiumPath: string = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** Flags for a quiet headless run in a container: no sandbox, no GPU, no calls home. */
export const chromiumArgs: readonly string[] = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** The message shown when the executable is missing; it says how to fix it. */
export function chromiumMissingMessage(path = chromiumPath): string {
  return (
    `Chromium not found at ${path}: install it with \`apt-get install chromium\` (Debian) ` +
    `or set CHROMIUM_PATH to an installed Chromium/Chrome executable.`
  );
}

/**
 * Check that the Chromium executable exists and is executable.
 * @throws Error with {@link chromiumMissingMessage} when it does not.
 */
export function assertChromiumInstalled(path = chromiumPath): void {
  try {
    accessSync(path, constants.X_OK);
  } catch {
    throw new Error(chromiumMissingMessage(path));
  }
}
