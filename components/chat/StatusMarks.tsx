'use client';

import { Moon } from 'lucide-react';
import { useTranslations } from 'next-intl';
import type { StatusDto } from '@/lib/validation/attention';

export interface AttentionView {
  status?: StatusDto | null;
  dnd?: boolean;
  away?: boolean;
}

export function statusLabel(s: StatusDto): string {
  return [s.emoji, s.text].filter(Boolean).join(' ');
}

/** A person's status emoji (its text as the accessible name and tooltip) and a moon while do-not-disturb is on. */
export function StatusMarks({ user, withText = false }: { user: AttentionView; withText?: boolean }) {
  const t = useTranslations('statusMarks');
  const s = user.status;
  if (!s && !user.dnd) return null;
  return (
    <span className="status-marks">
      {s && (
        <span className="status-emoji" role="img" aria-label={t('status', { status: statusLabel(s) })} title={statusLabel(s)} data-testid="status">
          {s.emoji || '💬'}
          {withText && s.text && <span className="status-text"> {s.text}</span>}
        </span>
      )}
      {user.dnd && (
        <span className="dnd-moon" role="img" aria-label={t('dnd')} title={t('dnd')} data-testid="dnd">
          <Moon size={12} aria-hidden="true" />
        </span>
      )}
    </span>
  );
}
