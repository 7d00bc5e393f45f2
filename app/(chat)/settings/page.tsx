import type { Metadata } from 'next';
import { ThemeSelect } from '@/components/ui/ThemeSelect';

export const metadata: Metadata = { title: 'Settings' };

export default function SettingsPage() {
  return (
    <>
      <header className="pane-head">
        <a className="icon-btn back-btn" href="/" aria-label="Back">
          ←
        </a>
        <h1>Settings</h1>
      </header>
      <div style={{ padding: 16, maxWidth: 560 }}>
        <section className="field">
          <h2 style={{ fontSize: '1rem' }}>Appearance</h2>
          <ThemeSelect id="settings-theme" />
        </section>
      </div>
    </>
  );
}
