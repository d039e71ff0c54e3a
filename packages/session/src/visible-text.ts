/**
 * Text from the remote peer (file names, system information, clipboard) is
 * shown to a person who decides on it. Characters that draw nothing or turn
 * what follows around must not hide what the text says: "invoice\u202Egpj.exe"
 * displays as "invoiceexe.jpg". A viewer marks them; a receiver that turns a
 * name into a file strips the same ones (`sanitizeFileName`).
 */

/**
 * Controls (C0, C1), format characters (bidi marks, embeddings, overrides and
 * isolates, zero-width spaces, the BOM, tags…), line and paragraph separators
 * and lone surrogates. Not the zero-width (non-)joiners: Persian, Indic
 * scripts and emoji sequences need them, and they reorder nothing.
 */
export const INVISIBLE = /(?![\u200c\u200d])[\p{Cc}\p{Cf}\p{Zl}\p{Zp}\p{Cs}]/gu;

/** What stays as it is in text shown on several lines (a clipboard): tab and line breaks. */
const LAYOUT = /^[\t\n\r]$/;

/** `⟨U+202E⟩`: the code point, at least four hex digits. */
function marker(ch: string): string {
  const hex = (ch.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, '0');
  return `\u27e8U+${hex}\u27e9`;
}

/**
 * `text` with every invisible or reordering character replaced by a visible
 * marker (`invoice⟨U+202E⟩gpj.exe`), for display only: never a name to save
 * or a value to send back. `multiline` keeps tabs and line breaks.
 */
export function visibleText(text: string, options: { multiline?: boolean } = {}): string {
  return text.replace(INVISIBLE, (ch) => (options.multiline && LAYOUT.test(ch) ? ch : marker(ch)));
}
