import { z } from 'zod';
import { idSchema } from './common';

export const titleSchema = z.string().trim().min(1, 'Title is empty').max(80, 'Title is longer than 80 characters');

export const createConversationSchema = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('direct'), userId: idSchema }),
  z.strictObject({ kind: z.literal('group'), title: titleSchema, memberIds: z.array(idSchema).max(1000).default([]) }),
]);
export type CreateConversationInput = z.infer<typeof createConversationSchema>;

export const updateConversationSchema = z.strictObject({ title: titleSchema.optional(), muted: z.boolean().optional() });

export const addMemberSchema = z.strictObject({ userId: idSchema });

export const updateMemberSchema = z.strictObject({ role: z.enum(['admin', 'member', 'owner']) });
