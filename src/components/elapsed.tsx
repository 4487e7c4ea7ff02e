import { usePbxNowUs } from './use-clock.ts';
import { elapsedSec, formatDuration } from './time.ts';

/**
 * Seconds since a PBX timestamp, ticking once a second while live and frozen while not live
 * (see `usePbxNowUs`). Renders `render(seconds)` or nothing when `sinceUs` is absent.
 */
export function Elapsed({
  sinceUs,
  render,
}: {
  sinceUs: number | bigint | null | undefined;
  render: (seconds: number, text: string) => React.ReactNode;
}) {
  const { nowUs } = usePbxNowUs();
  const sec = elapsedSec(sinceUs, nowUs);
  if (sec === null) return null;
  return <>{render(sec, formatDuration(sec * 1000))}</>;
}
