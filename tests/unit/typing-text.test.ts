import { describe, expect, it } from 'vitest';
import { typingText as typingTextIn } from '../../components/chat/ConversationView';
import { english } from '../../lib/i18n/english';

const typingText = (names: string[]) => typingTextIn(names, english('typing'));

describe('typingText', () => {
  it('names one, two, or the first and how many others', () => {
    expect(typingText([])).toBe('');
    expect(typingText(['Ana'])).toBe('Ana is typing…');
    expect(typingText(['Ana', 'Ben'])).toBe('Ana and Ben are typing…');
    expect(typingText(['Ana', 'Ben', 'Cleo'])).toBe('Ana and 2 others are typing…');
    expect(typingText(['Ana', 'Ben', 'Cleo', 'Dan'])).toBe('Ana and 3 others are typing…');
  });
});
