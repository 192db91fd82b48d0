/**
 * The console's shortcuts. What a key does depends on the page; nothing fires while the analyst
 * types in a field, or with Ctrl, Alt or Meta held (those belong to the browser and the screen reader).
 */

export type Shortcut = 'next' | 'previous' | 'open' | 'search' | 'queue' | 'decide' | 'claimNext' | 'help';

export interface KeyPress {
  key: string;
  ctrlKey: boolean;
  altKey: boolean;
  metaKey: boolean;
  /** The element the key was pressed in. */
  target: { tagName?: string; isContentEditable?: boolean; type?: string } | null;
}

/** The list the help dialog shows, in its order: keys as written, and the message that says what they do. */
export const SHORTCUTS = [
  { keys: ['j'], does: 'help.key.next' },
  { keys: ['k'], does: 'help.key.previous' },
  { keys: ['Enter', 'o'], does: 'help.key.open' },
  { keys: ['/'], does: 'help.key.search' },
  { keys: ['g', 'q'], does: 'help.key.queue' },
  { keys: ['d'], does: 'help.key.decide' },
  { keys: ['n'], does: 'help.key.claimNext' },
  { keys: ['Ctrl', 'Enter'], does: 'help.key.submitNext' },
  { keys: ['?'], does: 'help.key.help' },
] as const;

const TYPING = new Set(['INPUT', 'TEXTAREA', 'SELECT']);

export function isTyping(target: KeyPress['target']): boolean {
  if (!target) return false;
  if (target.isContentEditable) return true;
  const tag = (target.tagName ?? '').toUpperCase();
  // A checkbox or a button is not typed in: j still moves on while one has the focus.
  if (tag === 'INPUT')
    return !['checkbox', 'radio', 'button', 'submit', 'reset'].includes(target.type ?? 'text');
  return TYPING.has(tag);
}

/** How long after "g" the "q" may come. */
export const CHORD_MS = 1500;

/**
 * Turns key presses into shortcuts. `pending` is the time a lone "g" was pressed (or null): it
 * starts the two-key chord "g q".
 */
export function shortcutFor(
  press: KeyPress,
  pendingG: number | null,
  now: number,
): { shortcut: Shortcut | null; pendingG: number | null } {
  if (press.ctrlKey || press.altKey || press.metaKey || isTyping(press.target))
    return { shortcut: null, pendingG: null };
  if (pendingG !== null && now - pendingG <= CHORD_MS && press.key === 'q')
    return { shortcut: 'queue', pendingG: null };
  switch (press.key) {
    case 'j':
      return { shortcut: 'next', pendingG: null };
    case 'k':
      return { shortcut: 'previous', pendingG: null };
    case 'o':
      return { shortcut: 'open', pendingG: null };
    case '/':
      return { shortcut: 'search', pendingG: null };
    case 'd':
      return { shortcut: 'decide', pendingG: null };
    case 'n':
      return { shortcut: 'claimNext', pendingG: null };
    case '?':
      return { shortcut: 'help', pendingG: null };
    case 'g':
      return { shortcut: null, pendingG: now };
    default:
      return { shortcut: null, pendingG: null };
  }
}

/** The flag after (step 1) or before (step -1) `current` in a queue; when `current` has left the queue (decided), the first. */
export function neighbour(ids: readonly string[], current: string, step: 1 | -1): string | null {
  const at = ids.indexOf(current);
  if (at === -1) return step === 1 ? (ids[0] ?? null) : null;
  return ids[at + step] ?? null;
}
