/**
 * The API's refusals in the asker's language (lib/i18n/api-errors.ts): the `locale` cookie, else Accept-Language,
 * else English, over REST and in socket acknowledgements, with the same error code and status either way.
 */
import { afterEach, beforeAll, describe, expect, inject, it } from 'vitest';
import { connectSocket, createToken, emitAck, registerUser, request, type ClientSocket, type TestUser } from '../helpers/api';
import { expectError } from '../helpers/errors';

const baseUrl = inject('baseUrl');
const open: ClientSocket[] = [];
afterEach(() => {
  for (const s of open.splice(0)) s.close();
});

describe('error messages in the asker’s language', () => {
  let user: TestUser;
  let token: string;
  beforeAll(async () => {
    user = await registerUser(baseUrl, { prefix: 'lang' });
    token = (await createToken(baseUrl, user)).token;
  });

  const wrongPassword = (headers: Record<string, string>) =>
    request(baseUrl, '/api/v1/auth/tokens', { method: 'POST', headers, body: { username: user.username, password: 'not the password at all', name: 'x' } });

  it('REST: German for a German browser, English without a language or for one it does not speak, the cookie first', async () => {
    const de = await wrongPassword({ 'accept-language': 'de-DE,de;q=0.9,en;q=0.5' });
    expectError(de, 'unauthorized');
    expect(de.body.error.message).toBe('Falscher Benutzername oder falsches Passwort');

    const others: Record<string, string>[] = [{}, { 'accept-language': 'fr-FR,fr;q=0.9' }, { 'accept-language': 'de-DE', cookie: 'locale=en' }];
    for (const headers of others) {
      const en = await wrongPassword(headers);
      expectError(en, 'unauthorized');
      expect(en.body.error.message).toBe('Wrong username or password');
    }
    const byCookie = await wrongPassword({ 'accept-language': 'en-US', cookie: 'theme=dark; locale=de' });
    expect(byCookie.body.error.message).toBe('Falscher Benutzername oder falsches Passwort');
  });

  it('REST: a not_found for a signed-in German reader, with its code and status unchanged', async () => {
    const res = await request(baseUrl, '/api/v1/conversations/nope-nope-nope/messages', { token, headers: { 'accept-language': 'de' } });
    expectError(res, 'not_found');
    expect(res.body.error.message).toBe('Diese Unterhaltung gibt es nicht');
    const en = await request(baseUrl, '/api/v1/conversations/nope-nope-nope/messages', { token });
    expect(en.body.error.message).toBe('No such conversation');
  });

  it('socket: an acknowledgement’s refusal in the language of the handshake', async () => {
    const de = await connectSocket(baseUrl, { token, headers: { 'accept-language': 'de-DE,de;q=0.9' } });
    const en = await connectSocket(baseUrl, { token });
    open.push(de, en);
    const payload = { conversationId: 'nope-nope-nope', clientId: 'lang-test-1', body: 'hello' };
    const deAck = await emitAck<{ ok: boolean; error: { code: string; message: string } }>(de, 'message:send', payload);
    const enAck = await emitAck<{ ok: boolean; error: { code: string; message: string } }>(en, 'message:send', { ...payload, clientId: 'lang-test-2' });
    expect(enAck).toEqual({ ok: false, error: { code: 'not_found', message: 'No such conversation' } });
    expect(deAck).toEqual({ ok: false, error: { code: 'not_found', message: 'Diese Unterhaltung gibt es nicht' } });
  });
});
