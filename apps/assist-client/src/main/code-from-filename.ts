/** A session code: `s` followed by 8 digits, e.g. `s12345678` (shown as `s12-345-678`). */
export type SessionCode = `s${string}`;

const CODE_IN_NAME = /(?<![A-Za-z0-9])[sS](\d{8})(?!\d)/g;
const CODE_INPUT = /^[sS](\d{2})-?(\d{3})-?(\d{3})$/;

/**
 * Finds the session code in the name of the downloaded executable, e.g.
 * `BeckonAssist-s12345678.exe` or `BeckonAssist-s12345678 (1).exe`. Only the
 * file name counts (not its folders); no code or two different codes yield null.
 */
export function codeFromFilename(path: string): SessionCode | null {
  const name = path.split(/[\\/]/).pop() ?? '';
  const codes = new Set(Array.from(name.matchAll(CODE_IN_NAME), (m) => `s${m[1]}` as SessionCode));
  if (codes.size !== 1) return null;
  const [code] = codes;
  return code ?? null;
}

/** Parses a code typed by a person: `s12345678` or `s12-345-678`. */
export function parseSessionCode(input: string): SessionCode | null {
  const match = CODE_INPUT.exec(input.trim());
  return match ? `s${match[1]}${match[2]}${match[3]}` : null;
}
