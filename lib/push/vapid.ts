import webpush from 'web-push';
import { env } from '../env';
import { getVapidKeys } from '../secrets';

/** VAPID keys: from the environment, or generated once into DATA_DIR. Never a pair shipped in the repo. */
export function vapid(): { publicKey: string; privateKey: string; subject: string } {
  const keys = getVapidKeys(() => webpush.generateVAPIDKeys());
  return { ...keys, subject: env.VAPID_SUBJECT ?? 'mailto:admin@chattrix.invalid' };
}
