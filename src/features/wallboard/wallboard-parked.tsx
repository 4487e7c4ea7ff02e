import { useTranslation } from 'react-i18next';
import { formatDuration } from '../../components/time.ts';
import { callerNumber } from '../../components/caller.ts';
import { classifyCalls } from '../../stores/call-classes.ts';
import { useConsoleStore } from '../../stores/console-store.ts';

const bySlotOf = (s: Parameters<typeof classifyCalls>[0]) => classifyCalls(s).bySlot;

/** The parked calls, slot by slot, with how long each has been parked (amber past the console's park warning). */
export function WallboardParked({ nowUs, warnSec }: { nowUs: number; warnSec: number }) {
  const { t } = useTranslation();
  const bySlot = useConsoleStore(bySlotOf);
  const parked = [...bySlot.values()].sort((a, b) => a.slot - b.slot);
  return (
    <section aria-label={t('wallboard.parked')} className="wb-parked">
      <h2 className="wb-label">{t('wallboard.parked')}</h2>
      {parked.length === 0 ? (
        <p className="wb-small">{t('wallboard.parkedNone')}</p>
      ) : (
        <ul className="wb-parked-list">
          {parked.map((p) => {
            const sec = p.sinceUs === null ? null : Math.max(0, (nowUs - p.sinceUs) / 1_000_000);
            const warn = sec !== null && sec >= warnSec;
            return (
              <li key={p.slot} className={`wb-park ${warn ? 'wb-amber' : ''}`} data-testid="wb-park">
                <span className="wb-park-slot">{p.slot}</span> {callerNumber(p.channel)}{' '}
                <span className="wb-park-time">
                  {warn && <span aria-hidden="true">▲ </span>}
                  {sec === null ? '—' : formatDuration(sec * 1000)}
                </span>
              </li>
            );
          })}
        </ul>
      )}
    </section>
  );
}
