import { toAck } from '../../errors';
import { localeOfHeaders, localizeAck } from '../../i18n/api-errors';
import { defaultLocale } from '../../i18n/config';
import { checkRate, rules, type LimitRule } from '../../rate-limit';
import type { ChattrixServer } from '../io';
import { composeHandlers } from './compose';
import { messageHandlers } from './messages';
import { presenceHandlers } from './presence';
import { typingHandlers } from './typing';
import { watchHandlers } from './watch';
import { actorOf, type ChattrixSocket, type HandlerDeps } from './util';

/**
 * The rate limit of each client → server event, per user (all of a user's sockets on every node share it). Over
 * it the ack is `{ok:false, error:{code:'rate_limited'}}` and the event does nothing. `message:send` has its own
 * limit inside its handler (shared with REST sends). An event not listed here gets the strictest rule.
 */
export const EVENT_RULES: Record<string, LimitRule | null> = {
  'message:send': null,
  'message:edit': rules.edit,
  'message:delete': rules.delete,
  'reaction:add': rules.react,
  'reaction:remove': rules.react,
  'typing:start': rules.typing,
  'typing:stop': rules.typing,
  'conversation:read': rules.read,
  'presence:subscribe': rules.presence,
  'client:visibility': rules.visibility,
  'draft:save': rules.typing,
  'client:away': rules.visibility,
  'conversation:watch': rules.presence,
  'conversation:unwatch': rules.presence,
};

/** Registers every client → server event on a connected socket. */
export function registerHandlers(io: ChattrixServer, socket: ChattrixSocket): void {
  const deps: HandlerDeps = { io, socket, actor: actorOf(socket) };
  // Refusals in the language of the page that opened the socket (its handshake's cookie or Accept-Language).
  const locale = localeOfHeaders(socket.handshake.headers);
  // English needs no wording pass: its acknowledgements go through as they are (no closure per event).
  const localized =
    locale === defaultLocale
      ? (ack: unknown) => ack
      : (ack: unknown) => (typeof ack === 'function' ? (r: unknown) => (ack as (r: unknown) => void)(localizeAck(r, locale)) : ack);
  const all = { ...presenceHandlers(deps), ...messageHandlers(deps), ...typingHandlers(deps), ...composeHandlers(deps), ...watchHandlers(deps) };
  for (const [event, fn] of Object.entries(all)) {
    const rule = event in EVENT_RULES ? EVENT_RULES[event]! : rules.presence;
    const limited = async (payload: unknown, rawAck?: unknown) => {
      const ack = localized(rawAck);
      if (rule) {
        try {
          await checkRate(rule, `user:${deps.actor.id}`);
        } catch (e) {
          if (typeof ack === 'function') (ack as (r: unknown) => void)(toAck(e));
          return;
        }
      }
      return (fn as (p: unknown, a?: unknown) => Promise<void>)(payload, ack);
    };
    // An unlimited event on an English socket needs neither: its handler is registered as it is.
    socket.on(event as 'presence:subscribe', (rule || locale !== defaultLocale ? limited : fn) as never);
  }
}
