import { describe, expect, it } from 'vitest';
import { parseMarkdown } from '../../lib/client/markdown';
import { slackToMarkdown } from '../../lib/integrations/slack';

describe("Slack's message format → our markdown", () => {
  it('links, mentions, channels, bold, strike and entities', () => {
    expect(slackToMarkdown('Build <https://ci.example/1|#42> failed')).toBe('Build [#42](https://ci.example/1) failed');
    expect(slackToMarkdown('see <https://x.example/a>')).toBe('see https://x.example/a');
    expect(slackToMarkdown('<!channel> <!here> <!everyone>')).toBe('@channel @here @channel');
    expect(slackToMarkdown('<@U123|ana> in <#C9|ops>')).toBe('@ana in #ops');
    expect(slackToMarkdown('*deploy* done, _quietly_, ~not~ **twice**')).toBe('**deploy** done, _quietly_, not **twice**');
    expect(slackToMarkdown('a &lt;b&gt; &amp; c')).toBe('a <b> & c');
    expect(slackToMarkdown('<mailto:ops@example.com|ops>')).toBe('ops');
  });

  it('leaves code alone', () => {
    expect(slackToMarkdown('`*x*` and ```\n*y* <!here>\n```')).toBe('`*x*` and ```\n*y* <!here>\n```');
  });

  it('never yields a link to anything but http(s)', () => {
    const nodes = parseMarkdown(slackToMarkdown('<javascript:alert(1)|click>'));
    expect(nodes).toEqual([{ t: 'text', v: 'click' }]);
  });
});

describe('markdown: labelled links and escapes', () => {
  it('[label](https://…) is a link; other schemes stay text', () => {
    expect(parseMarkdown('[#42](https://ci.example/1) failed')).toEqual([
      { t: 'a', href: 'https://ci.example/1', v: '#42' },
      { t: 'text', v: ' failed' },
    ]);
    expect(parseMarkdown('[x](javascript:alert(1))')).toEqual([{ t: 'text', v: '[x](javascript:alert(1))' }]);
  });

  it('a backslash shows the next markdown character as it is', () => {
    expect(parseMarkdown('¯\\\\\\_(ツ)\\_/¯')).toEqual([{ t: 'text', v: '¯\\_(ツ)_/¯' }]);
    expect(parseMarkdown('\\*not italic\\*')).toEqual([{ t: 'text', v: '*not italic*' }]);
    expect(parseMarkdown('C:\\Users')).toEqual([{ t: 'text', v: 'C:\\Users' }]);
  });
});
