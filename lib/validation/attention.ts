import { z } from 'zod';

/** How much of a conversation reaches you: badge, mention count, web push and the tab title alike. */
export const notifyLevels = ['all', 'mentions', 'none'] as const;
export type NotifyLevel = (typeof notifyLevels)[number];
export const notifySchema = z.enum(notifyLevels);

const futureIso = (field: string) =>
  z.iso.datetime({ offset: true }).refine((v) => Date.parse(v) > Date.now(), `${field} must be in the future`);

export function isTimeZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

/** `PUT /me/status`: no emoji and no text clears the status; clearAt absent or null: it never clears by itself. */
export const setStatusSchema = z.strictObject({
  emoji: z.string().trim().max(32, 'emoji is at most 32 characters').nullable().optional(),
  text: z.string().trim().max(100, 'Status text is at most 100 characters').nullable().optional(),
  clearAt: futureIso('clearAt').nullable().optional(),
});
export type SetStatusInput = z.infer<typeof setStatusSchema>;

const hhmm = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'Use HH:MM (24 hours)');

export const dndScheduleSchema = z
  .strictObject({
    start: hhmm,
    end: hhmm,
    timeZone: z.string().max(64).refine(isTimeZone, 'Unknown time zone (use an IANA name such as Europe/Berlin)'),
  })
  .refine((s) => s.start !== s.end, { message: 'start and end must differ', path: ['end'] });
export type DndSchedule = z.infer<typeof dndScheduleSchema>;

/** `PUT /me/dnd`: replaces both; absent or null turns that part off. */
export const setDndSchema = z.strictObject({
  until: futureIso('until').nullable().optional(),
  schedule: dndScheduleSchema.nullable().optional(),
});
export type SetDndInput = z.infer<typeof setDndSchema>;

export const MAX_KEYWORDS = 20;
export const setKeywordsSchema = z.strictObject({
  keywords: z
    .array(z.string().trim().min(2, 'A keyword has at least 2 characters').max(40, 'A keyword has at most 40 characters'))
    .max(MAX_KEYWORDS, `At most ${MAX_KEYWORDS} keywords`)
    .transform((list) => {
      const seen = new Set<string>();
      return list.filter((k) => {
        const key = k.toLowerCase();
        if (seen.has(key)) return false;
        seen.add(key);
        return true;
      });
    }),
});

export const statusSchema = z.object({ emoji: z.string().nullable(), text: z.string().nullable(), clearAt: z.string().nullable() });
export type StatusDto = z.infer<typeof statusSchema>;

export const dndStateSchema = z.object({
  /** On now (until a time, or inside today's schedule). */
  active: z.boolean(),
  /** When the current quiet period ends (null when off, or on with no end). */
  endsAt: z.string().nullable(),
  until: z.string().nullable(),
  schedule: z.object({ start: z.string(), end: z.string(), timeZone: z.string() }).nullable(),
});
export type DndStateDto = z.infer<typeof dndStateSchema>;
