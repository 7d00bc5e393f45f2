'use client';

import { useTranslations } from 'next-intl';

/** The buttons of an inline edit form: Save submits it, Cancel leaves it. */
export function SaveCancel({ onCancel }: { onCancel: () => void }) {
  const t = useTranslations('common');
  return (
    <>
      <button type="submit" className="btn btn-sm">
        {t('save')}
      </button>
      <button type="button" className="btn btn-ghost btn-sm" onClick={onCancel}>
        {t('cancel')}
      </button>
    </>
  );
}
