import { OpenNewest } from '@/components/chat/OpenNewest';

export default async function Home({ searchParams }: { searchParams: Promise<{ open?: string }> }) {
  const { open } = await searchParams;
  return (
    <div className="empty">
      {open === 'newest' && <OpenNewest />}
      <div>
        <div className="brand-mark" style={{ margin: '0 auto', width: 56, height: 56, fontSize: 26 }} aria-hidden="true">
          C
        </div>
        <h2>Pick a conversation</h2>
        <p>Choose a conversation, or someone from People to start talking.</p>
      </div>
    </div>
  );
}
