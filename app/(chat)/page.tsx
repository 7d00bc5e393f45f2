import { getTranslations } from 'next-intl/server';
import { OpenNewest } from '@/components/chat/OpenNewest';

export default async function Home({ searchParams }: { searchParams: Promise<{ open?: string }> }) {
  const { open } = await searchParams;
  const t = await getTranslations('home');
  return (
    <div className="empty">
      {open === 'newest' && <OpenNewest />}
      <div>
        <div className="brand-mark" style={{ margin: '0 auto', width: 56, height: 56, fontSize: 26 }} aria-hidden="true">
          C
        </div>
        <h2>{t('title')}</h2>
        <p>{t('hint')}</p>
      </div>
    </div>
  );
}
