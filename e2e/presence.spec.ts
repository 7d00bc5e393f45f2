import { ChatPage } from './pages/ChatPage';
import { LoginPage } from './pages/LoginPage';
import { expect, newPerson, registerViaApi, test } from './fixtures';

test('A sees B come online in the People directory, and go offline when B leaves', async ({ browser, request }) => {
  const a = newPerson('alice');
  const b = newPerson('bob');
  await registerViaApi(request, a);
  await registerViaApi(request, b);

  // A signs in, in one browser context.
  const contextA = await browser.newContext();
  const pageA = await contextA.newPage();
  await new LoginPage(pageA).goto();
  await new LoginPage(pageA).signIn(a.username, a.password);
  const chatA = new ChatPage(pageA);
  await chatA.expectSignedInAs(a);

  // A finds B in the directory (search keeps this independent of how many people the database holds).
  await chatA.searchPeople(b.username);
  await expect(chatA.person(b.username)).toBeVisible();
  await expect(chatA.person(b.username)).toContainText(b.displayName);
  await expect(chatA.presenceOf(b.username)).toHaveText('offline');

  // B signs in, in another context: A sees B online without reloading.
  const contextB = await browser.newContext();
  const pageB = await contextB.newPage();
  await new LoginPage(pageB).goto();
  await new LoginPage(pageB).signIn(b.username, b.password);
  await new ChatPage(pageB).expectSignedInAs(b);
  await expect(chatA.presenceOf(b.username)).toHaveText('online');

  // B opens a second tab and closes it: still online.
  const secondTab = await contextB.newPage();
  await new ChatPage(secondTab).goto();
  await new ChatPage(secondTab).expectSignedInAs(b);
  await secondTab.close();
  await pageA.waitForTimeout(1000);
  await expect(chatA.presenceOf(b.username)).toHaveText('online');

  // B closes the browser: A sees B go offline ("last seen …").
  await contextB.close();
  await expect(chatA.presenceOf(b.username)).toHaveText(/^last seen /);
  await expect(chatA.presenceOf(b.username)).not.toHaveText('online');

  // A reload agrees (the stored lastSeenAt).
  await pageA.reload();
  await chatA.searchPeople(b.username);
  await expect(chatA.presenceOf(b.username)).toHaveText(/^last seen /);
  await contextA.close();
});
