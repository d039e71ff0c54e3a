/**
 * Whether `s` is an absolute http(s) URL: what a broker address must be,
 * wherever it comes from (command line, packaging, the baked config). Safe on
 * anything: it parses only what can be parsed, so it also serves as a zod
 * refinement, which runs after a failed `z.url()` too.
 */
export const isHttpUrl = (s: string): boolean => URL.canParse(s) && /^https?:$/.test(new URL(s).protocol);
