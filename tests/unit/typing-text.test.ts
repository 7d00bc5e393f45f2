import { describe, expect, it } from 'vitest';
import { typingText } from '../../components/chat/ConversationView';

describe('typingText', () => {
  it('names one, two, or the first and how many others', () => {
    expect(typingText([])).toBe('');
    expect(typingText(['Ana'])).toBe('Ana is typing…');
    expect(typingText(['Ana', 'Ben'])).toBe('Ana and Ben are typing…');
    expect(typingText(['Ana', 'Ben', 'Cleo'])).toBe('Ana and 2 others are typing…');
    expect(typingText(['Ana', 'Ben', 'Cleo', 'Dan'])).toBe('Ana and 3 others are typing…');
  });
});
