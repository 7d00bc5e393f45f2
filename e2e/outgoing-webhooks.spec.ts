/**
 * Outgoing webhooks in the group's settings panel: add one (replies as your bot, with a trigger word), see the
 * signing secret once, see a delivery of a matching message appear (pending: the receiver's name does not resolve
 * on the test machine, so it is retried), disable it; axe-clean at 360 px and wide.
 */
import { axeOn, expect, newPerson, registerViaApi, test } from './fixtures';

test('a group owner adds an outgoing webhook and sees its deliveries', async ({ page, request, loginPage, chatPage, consoleErrors }) => {
  void consoleErrors;
  test.setTimeout(150_000); // two axe runs on a loaded 2-core machine
  const owner = newPerson('owh');
  await registerViaApi(request, owner);
  const tok = await request.post('/api/v1/auth/tokens', { data: { username: owner.username, password: owner.password, name: 'e2e' } });
  const auth = { authorization: `Bearer ${(await tok.json()).token}` };
  const botName = `b${owner.username.slice(4, 24)}`;
  const bot = await request.post('/api/v1/bots', { headers: auth, data: { username: botName, displayName: 'Deploy bot' } });
  expect(bot.status(), await bot.text()).toBe(201);
  const botId = (await bot.json()).bot.id as string;
  const conv = await request.post('/api/v1/conversations', { headers: auth, data: { kind: 'group', title: 'Deploys', memberIds: [botId] } });
  const conversationId = (await conv.json()).conversation.id as string;

  await loginPage.goto();
  await loginPage.signIn(owner.username, owner.password);
  await chatPage.expectSignedInAs(owner);
  await chatPage.openConversation(conversationId, { direct: true });
  await page.getByRole('button', { name: 'Members' }).click();
  const section = page.getByTestId('outgoing-webhooks');
  await expect(section.getByRole('heading', { name: 'Outgoing webhooks' })).toBeVisible();
  await expect(section.getByLabel('Reply as bot')).toHaveValue(botId);
  await section.getByLabel('Webhook URL').fill('https://receiver.chattrix-test.invalid/hook');
  await section.getByLabel('Trigger word (optional)').fill('!deploy');
  await section.getByRole('button', { name: 'Add webhook' }).click();
  await expect(section.getByTestId('webhook-secret')).toHaveText(/^[0-9a-f]{64}$/);
  await expect(section.getByText('https://receiver.chattrix-test.invalid/hook')).toBeVisible();
  await expect(section.getByText('message.created · starts with !deploy')).toBeVisible();

  await chatPage.send('!deploy production');
  await section.getByText('Recent deliveries').click();
  await expect(section.getByRole('cell', { name: 'message.created', exact: true })).toBeVisible();
  await expect(section.getByRole('cell', { name: /pending|failed/ })).toBeVisible();

  for (const width of [360, 1280]) {
    await page.setViewportSize({ width, height: 800 });
    const results = await axeOn(page).include('[data-testid="outgoing-webhooks"]').analyze();
    expect(results.violations.map((v) => `${v.id}: ${v.help}`)).toEqual([]);
    await page.screenshot({ path: `test-results/outgoing-webhooks-${width}.png`, fullPage: false });
  }

  // A controlled switch: it turns off once the server has answered.
  const enabled = section.getByLabel('Enabled: https://receiver.chattrix-test.invalid/hook');
  await enabled.click();
  await expect(enabled).not.toBeChecked();
  await expect(section.getByText(/· disabled/)).toBeVisible();
});
