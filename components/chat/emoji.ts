/** The quick set, and a small searchable catalogue for the picker. */
export const QUICK_REACTIONS = ['👍', '❤️', '😂', '😮', '😢', '🙏'];

export const EMOJI: [string, string][] = [
  ['👍', 'thumbs up yes like'], ['👎', 'thumbs down no dislike'], ['❤️', 'heart love red'], ['😂', 'joy laugh tears'],
  ['😮', 'wow surprised open mouth'], ['😢', 'cry sad tear'], ['🙏', 'pray thanks please'], ['🎉', 'party tada celebrate'],
  ['🔥', 'fire hot lit'], ['👀', 'eyes look see'], ['✅', 'check done yes'], ['❌', 'cross no wrong'], ['👏', 'clap applause'],
  ['🙌', 'raised hands hooray'], ['💯', 'hundred perfect'], ['🤔', 'thinking hmm'], ['😀', 'grin smile happy'], ['😁', 'beaming grin'],
  ['😅', 'sweat smile relief'], ['😊', 'blush smile'], ['😍', 'heart eyes love'], ['😘', 'kiss'], ['😎', 'cool sunglasses'],
  ['🤩', 'star struck'], ['😇', 'angel innocent'], ['🙂', 'slight smile'], ['🙃', 'upside down'], ['😉', 'wink'], ['😌', 'relieved'],
  ['😴', 'sleep tired'], ['🥱', 'yawn'], ['😐', 'neutral'], ['😬', 'grimace awkward'], ['🙄', 'eye roll'], ['😏', 'smirk'],
  ['😡', 'angry mad'], ['🤯', 'mind blown'], ['🥳', 'party face'], ['🤗', 'hug'], ['🤝', 'handshake deal'], ['💪', 'strong muscle'],
  ['👋', 'wave hello bye'], ['✌️', 'peace victory'], ['🤞', 'fingers crossed luck'], ['👌', 'ok perfect'], ['🫡', 'salute'],
  ['💡', 'idea bulb'], ['⭐', 'star'], ['✨', 'sparkles'], ['🚀', 'rocket launch ship'], ['🐛', 'bug'], ['🛠️', 'tools fix'],
  ['📌', 'pin'], ['📎', 'paperclip attachment'], ['📅', 'calendar date'], ['⏰', 'alarm clock time'], ['☕', 'coffee'], ['🍕', 'pizza'],
  ['🍺', 'beer'], ['🎂', 'birthday cake'], ['🎁', 'gift present'], ['🏆', 'trophy win'], ['⚠️', 'warning'], ['❓', 'question'],
  ['❗', 'exclamation'], ['💬', 'speech chat'], ['📣', 'megaphone announce'], ['🔒', 'lock secure'], ['🌟', 'glowing star'],
  ['🌈', 'rainbow'], ['☀️', 'sun'], ['🌙', 'moon night'], ['🐶', 'dog'], ['🐱', 'cat'], ['🦄', 'unicorn'], ['🤖', 'robot bot'],
  ['👻', 'ghost'], ['💀', 'skull dead'], ['😱', 'scream'], ['🥲', 'smile tear'], ['🫶', 'heart hands'], ['💔', 'broken heart'],
  ['💚', 'green heart'], ['💙', 'blue heart'], ['💜', 'purple heart'], ['🧡', 'orange heart'], ['💛', 'yellow heart'],
];
