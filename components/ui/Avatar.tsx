// Each at least 4.5:1 against the white initials (WCAG AA).
const palette = ['#c2410c', '#237032', '#1864ab', '#862e9c', '#a61e4d', '#0b7285', '#5f3dc4', '#a04a00'];

function colorFor(id: string): string {
  let h = 0;
  for (let i = 0; i < id.length; i++) h = (h * 31 + id.charCodeAt(i)) >>> 0;
  return palette[h % palette.length]!;
}

export function initials(name: string): string {
  const parts = name.trim().split(/\s+/).filter(Boolean);
  const letters = parts.length > 1 ? parts[0]![0]! + parts[parts.length - 1]![0]! : (parts[0] ?? '?').slice(0, 2);
  return letters.toUpperCase();
}

export function Avatar({
  user,
  online,
  size,
}: {
  user: { id: string; displayName: string; avatarUrl: string | null };
  /** `null`: presence unknown (offline), drawn as a hollow grey dot. */
  online?: boolean | null;
  size?: 'sm';
}) {
  return (
    <span className={`avatar${size ? ' ' + size : ''}`} style={{ background: user.avatarUrl ? 'transparent' : colorFor(user.id) }} aria-hidden="true">
      {user.avatarUrl ? <img src={user.avatarUrl} alt="" /> : initials(user.displayName)}
      {online !== undefined && <span className={`presence-dot${online ? ' on' : online === null ? ' unknown' : ''}`} />}
    </span>
  );
}
