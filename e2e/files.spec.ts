/**
 * Sharing files in Chromium: Ana attaches an image and a PDF (and cancels a third upload, and sees a refused one
 * say why), watches real progress bars (her upload link is throttled through the DevTools protocol so the bars
 * have time to move), and sends them with a caption; Ben, in the same conversation in another browser, sees the
 * thumbnail arrive live and downloads the PDF, byte for byte. Then screenshots of that conversation at 1280 and
 * 360 px, light and dark, into test-results/screens/.
 */
import { mkdirSync, readFileSync } from 'node:fs';
import sharp from 'sharp';
import { apiToken, asUser, signedIn } from './pages/RoomPage';
import { expect, newPerson, registerViaApi, test } from './fixtures';

const screens = 'test-results/screens';

/** A picture worth looking at in a screenshot (and a few hundred KB, so its upload takes a moment when throttled). */
async function photo(): Promise<Buffer> {
  const w = 1600;
  const h = 1000;
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${w}" height="${h}">
    <defs><linearGradient id="sky" x1="0" y1="0" x2="0" y2="1"><stop offset="0" stop-color="#4a78c2"/><stop offset="1" stop-color="#f3c98b"/></linearGradient></defs>
    <rect width="${w}" height="${h}" fill="url(#sky)"/>
    <circle cx="1150" cy="330" r="120" fill="#ffe38a"/>
    <path d="M0 700 Q 400 520 800 690 T 1600 640 V 1000 H 0 Z" fill="#3f7d4e"/>
    <path d="M0 820 Q 500 700 1000 830 T 1600 800 V 1000 H 0 Z" fill="#2c5b39"/>
  </svg>`;
  const base = await sharp(Buffer.from(svg)).raw().toBuffer({ resolveWithObject: true });
  // A little grain, as a real photo has (it also keeps the JPEG from being tiny).
  for (let i = 0; i < base.data.length; i++) base.data[i] = Math.max(0, Math.min(255, base.data[i]! + ((i * 7919) % 23) - 11));
  return sharp(base.data, { raw: base.info }).jpeg({ quality: 92 }).toBuffer();
}

function pdf(): Buffer {
  const text = 'BT /F1 24 Tf 72 720 Td (Trip plan) Tj ET';
  return Buffer.from(
    '%PDF-1.4\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n2 0 obj\n<< /Type /Pages /Kids [3 0 R] /Count 1 >>\nendobj\n' +
      '3 0 obj\n<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>\nendobj\n' +
      `4 0 obj\n<< /Length ${text.length} >>\nstream\n${text}\nendstream\nendobj\n` +
      '5 0 obj\n<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n',
  );
}

test('an image and a PDF: progress, cancel, refusal, live thumbnail, download', async ({ browser, request }) => {
  test.setTimeout(120_000);
  const ana = newPerson('fana');
  const ben = newPerson('fben');
  await registerViaApi(request, ana);
  await registerViaApi(request, ben);
  const benId = (await asUser(request, await apiToken(request, ben)).get<{ user: { id: string } }>('/me')).user.id;
  const asAna = asUser(request, await apiToken(request, ana));
  const { conversation } = await asAna.post<{ conversation: { id: string } }>('/conversations', { kind: 'group', title: 'Trip to the hills', memberIds: [benId] });

  const A = await signedIn(browser, ana);
  const B = await signedIn(browser, ben);
  await A.room.goto(conversation.id);
  await B.room.goto(conversation.id);

  // Every value each <progress> shows, sampled in the page (the bars only live while uploading).
  await A.page.evaluate(() => {
    const w = window as unknown as { __progress: Record<string, number[]> };
    w.__progress = {};
    setInterval(() => {
      for (const p of document.querySelectorAll('progress')) {
        const name = p.getAttribute('aria-label') ?? '';
        const seen = (w.__progress[name] ??= []);
        if (seen[seen.length - 1] !== p.value) seen.push(p.value);
      }
    }, 15);
  });
  // Ana's upload link is slow (about 150 KB/s), so each bar has time to move.
  const cdp = await A.context.newCDPSession(A.page);
  await cdp.send('Network.enable');
  await cdp.send('Network.emulateNetworkConditions', { offline: false, latency: 20, downloadThroughput: -1, uploadThroughput: 150 * 1024 });

  const image = await photo();
  const doc = pdf();
  expect(image.length).toBeGreaterThan(200 * 1024);
  await A.room.fileInput.setInputFiles([
    { name: 'hills.jpg', mimeType: 'image/jpeg', buffer: image },
    { name: 'trip-plan.pdf', mimeType: 'application/pdf', buffer: doc },
  ]);
  await expect(A.room.progressOf('hills.jpg')).toBeVisible();
  // Nothing can be sent while a file is still uploading.
  await A.room.write('Photos and the plan');
  await expect(A.room.sendButton).toBeDisabled();

  // A third file, cancelled while it uploads, disappears (and is never sent).
  await A.room.fileInput.setInputFiles([{ name: 'not-this-one.jpg', mimeType: 'image/jpeg', buffer: image }]);
  await expect(A.room.progressOf('not-this-one.jpg')).toBeVisible();
  await A.room.cancelUpload('not-this-one.jpg').click();
  await expect(A.room.upload('not-this-one.jpg')).toHaveCount(0);

  await expect(A.room.upload('hills.jpg').getByLabel('Uploaded')).toBeVisible({ timeout: 30_000 });
  await expect(A.room.upload('trip-plan.pdf').getByLabel('Uploaded')).toBeVisible({ timeout: 30_000 });
  await cdp.send('Network.emulateNetworkConditions', { offline: false, latency: 0, downloadThroughput: -1, uploadThroughput: -1 });

  // The bar moved: it showed values strictly between 0 and 1, more than one of them, only ever growing.
  const progress = await A.page.evaluate(() => (window as unknown as { __progress: Record<string, number[]> }).__progress);
  const hills = progress['Uploading hills.jpg'] ?? [];
  const between = hills.filter((v) => v > 0 && v < 1);
  expect(between.length, `progress values seen: ${JSON.stringify(hills)}`).toBeGreaterThanOrEqual(2);
  expect([...hills].sort((a, b) => a - b)).toEqual(hills);

  // A file type that is not allowed says why (and does not block sending the others).
  await A.room.fileInput.setInputFiles([{ name: 'totally-a-picture.png', mimeType: 'image/png', buffer: Buffer.from('<html><script>alert(1)</script></html>') }]);
  await expect(A.room.upload('totally-a-picture.png').getByRole('alert')).toContainText(/not allowed/i);
  await A.page.getByRole('button', { name: 'Remove totally-a-picture.png' }).click();

  await expect(A.room.sendButton).toBeEnabled();
  await A.room.sendButton.click();
  await expect(A.room.uploads).toHaveCount(0);

  // Ben sees it arrive without reloading: the thumbnail (really loaded) and the PDF card.
  const msg = B.room.message('Photos and the plan');
  await expect(msg).toBeVisible();
  const thumb = msg.getByTestId('attachment-thumbnail');
  await expect(thumb).toHaveCount(1);
  await expect(thumb).toHaveAttribute('alt', 'hills.jpg');
  await expect.poll(() => thumb.evaluate((img: HTMLImageElement) => (img.complete ? img.naturalWidth : 0))).toBe(320);
  const card = msg.getByTestId('attachment-file');
  await expect(card).toHaveCount(1);
  await expect(card).toContainText('trip-plan.pdf');
  await expect(msg.getByText('not-this-one.jpg')).toHaveCount(0);

  // The download is the very PDF Ana attached.
  const [download] = await Promise.all([B.page.waitForEvent('download'), B.room.downloadLink('trip-plan.pdf').click()]);
  expect(download.suggestedFilename()).toBe('trip-plan.pdf');
  expect(readFileSync(await download.path()).equals(doc)).toBe(true);

  // The full-size viewer opens from the thumbnail.
  await msg.getByRole('button', { name: 'Open image hills.jpg' }).click();
  const viewer = B.page.getByRole('dialog', { name: 'hills.jpg' });
  await expect(viewer).toBeVisible();
  await expect.poll(() => viewer.getByRole('img').evaluate((img: HTMLImageElement) => (img.complete ? img.naturalWidth : 0))).toBe(1600);
  await viewer.getByRole('button', { name: 'Close' }).click();
  await expect(viewer).toBeHidden();

  // Screenshots of the conversation, as Ben sees it (his page, resized and re-themed: the theme is applied on load).
  mkdirSync(screens, { recursive: true });
  await A.context.close();
  for (const width of [1280, 360]) {
    for (const theme of ['light', 'dark'] as const) {
      await B.page.setViewportSize({ width, height: width < 600 ? 740 : 800 });
      await B.page.emulateMedia({ colorScheme: theme });
      await B.page.evaluate((t) => localStorage.setItem('chattrix-theme', t), theme);
      await B.page.reload();
      // Connected and caught up (no "Syncing…" banner in the picture).
      await expect(B.page.getByTestId('connection-state')).toHaveText('Connected');
      const shown = B.room.message('Photos and the plan');
      const t = shown.getByTestId('attachment-thumbnail');
      await expect.poll(() => t.evaluate((img: HTMLImageElement) => (img.complete ? img.naturalWidth : 0))).toBeGreaterThan(0);
      await expect(shown.getByTestId('attachment-file')).toBeVisible();
      expect(await B.page.evaluate(() => document.documentElement.dataset.theme)).toBe(theme);
      // Nothing sticks out sideways, even at 360 px.
      expect(await B.page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)).toBeLessThanOrEqual(0);
      await B.page.screenshot({ path: `${screens}/files-${width}-${theme}.png` });
    }
  }
  await B.context.close();
});
