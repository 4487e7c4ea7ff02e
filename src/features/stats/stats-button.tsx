import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ModalDialog } from '../../components/modal-dialog.tsx';
import { StatsView } from './stats-view.tsx';

/**
 * The header's "Statistics" button and the dialog it opens (the "Queue statistics" region): a
 * dialog keeps the console's panels where they are at 1366×768.
 */
export function StatsButton() {
  const { t } = useTranslation();
  const [open, setOpen] = useState(false);
  return (
    <>
      <button type="button" className="btn" onClick={() => setOpen(true)}>
        {t('stats.open')}
      </button>
      {open && (
        <ModalDialog title={t('stats.title')} onClose={() => setOpen(false)} className="w-[min(72rem,96vw)]">
          <StatsView />
        </ModalDialog>
      )}
    </>
  );
}
