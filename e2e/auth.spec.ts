import { ChatPage } from './pages/ChatPage';
import { LoginPage } from './pages/LoginPage';
import { expect, newPerson, registerViaApi, test } from './fixtures';

test.describe('accounts in the browser', () => {
  test('signed out, the chat shell sends you to /login', async ({ page }) => {
    await page.goto('/');
    await expect(page).toHaveURL(/\/login/);
    await expect(page.getByRole('heading', { name: 'Sign in' })).toBeVisible();
  });

  test('a person registers, signs out, and signs in again', async ({ page, registerPage, loginPage, chatPage }) => {
    const me = newPerson('reg');
    await registerPage.goto();
    await registerPage.register(me);
    await chatPage.expectSignedInAs(me);
    await expect(chatPage.sidebar.getByText(me.displayName, { exact: true }).first()).toBeVisible();

    await chatPage.signOut();
    // Signed out for real: the shell is closed to us.
    await page.goto('/');
    await expect(page).toHaveURL(/\/login/);

    await loginPage.signIn(me.username, me.password);
    await chatPage.expectSignedInAs(me);
  });

  test('reload keeps the session', async ({ page, request, loginPage, chatPage }) => {
    const me = newPerson('reload');
    await registerViaApi(request, me);
    await loginPage.goto();
    await loginPage.signIn(me.username, me.password);
    await chatPage.expectSignedInAs(me);
    await page.reload();
    await chatPage.expectSignedInAs(me);
    // A fresh tab in the same browser is signed in too.
    const other = new ChatPage(await page.context().newPage());
    await other.goto();
    await other.expectSignedInAs(me);
  });

  test('a wrong password shows an error next to the field, and the same one for an unknown user', async ({ page, request, loginPage }) => {
    const me = newPerson('wrong');
    await registerViaApi(request, me);
    await loginPage.goto();
    await loginPage.signIn(me.username, 'not-my-password');
    await expect(loginPage.error).toHaveText('Wrong username or password.');
    await expect(page).toHaveURL(/\/login/);
    // Next to the field: the password input points at the message and is marked invalid.
    await expect(loginPage.password).toHaveAttribute('aria-invalid', 'true');
    const describedBy = await loginPage.password.getAttribute('aria-describedby');
    expect(describedBy).toBeTruthy();
    await expect(page.locator(`[id="${describedBy}"]`)).toHaveText('Wrong username or password.');
    const fieldBox = (await loginPage.password.boundingBox())!;
    const errorBox = (await loginPage.error.boundingBox())!;
    expect(errorBox.y).toBeGreaterThanOrEqual(fieldBox.y + fieldBox.height - 1);
    expect(errorBox.y - (fieldBox.y + fieldBox.height)).toBeLessThan(40);

    const unknownPage = new LoginPage(await page.context().newPage());
    await unknownPage.goto();
    await unknownPage.signIn(newPerson('ghost').username, 'not-my-password');
    await expect(unknownPage.error).toHaveText('Wrong username or password.');

    // And the right password still works afterwards.
    await loginPage.signIn(me.username, me.password);
    await expect(page).toHaveURL(/\/$/);
  });

  test('registering a taken username shows the error next to the username field', async ({ page, request, registerPage }) => {
    const taken = newPerson('taken');
    await registerViaApi(request, taken);
    await registerPage.goto();
    await registerPage.register({ ...newPerson('taken'), username: taken.username.toUpperCase() });
    await expect(registerPage.username).toHaveAttribute('aria-invalid', 'true');
    await expect(page.locator('#username-error')).toHaveText('That username is taken');
    await expect(page).toHaveURL(/\/register/);
  });

  test('the forms work from the keyboard alone', async ({ page, request, loginPage, chatPage }) => {
    const me = newPerson('kbd');
    await registerViaApi(request, me);
    await loginPage.goto();
    await expect(loginPage.username).toBeFocused();
    await page.keyboard.type(me.username);
    await page.keyboard.press('Tab');
    await expect(loginPage.password).toBeFocused();
    await page.keyboard.type(me.password);
    await page.keyboard.press('Enter');
    await chatPage.expectSignedInAs(me);
  });
});
