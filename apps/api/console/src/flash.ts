/** A notice for the next page drawn: "recorded on flag 41" shown on flag 42 after "record and open next". */
export interface Flash {
  kind: 'done' | 'error';
  text: string;
  /** The notice takes the focus instead of the heading: it is what the analyst must read next. */
  focus?: boolean;
}

let pending: Flash | null = null;

export function setFlash(flash: Flash): void {
  pending = flash;
}

export function takeFlash(): Flash | null {
  const flash = pending;
  pending = null;
  return flash;
}
