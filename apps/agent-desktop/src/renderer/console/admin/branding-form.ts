import { LOGO_MAX_BYTES, LogoTypeSchema, type LogoType } from '@beckon/protocol';

/** A chosen logo file, checked before upload (the broker checks again, by the bytes). */
export type LogoCheck =
  { ok: true; type: LogoType; base64: string; dataUrl: string } | { ok: false; problem: 'type' | 'size' };

/** Reads a picked file as base64 for the upload and as a data: URL for the preview. */
export async function checkLogo(file: {
  type: string;
  size: number;
  arrayBuffer(): Promise<ArrayBuffer>;
}): Promise<LogoCheck> {
  const type = LogoTypeSchema.safeParse(file.type);
  if (!type.success) return { ok: false, problem: 'type' };
  if (file.size === 0 || file.size > LOGO_MAX_BYTES) return { ok: false, problem: 'size' };
  const bytes = new Uint8Array(await file.arrayBuffer());
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000)
    binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  const base64 = btoa(binary);
  return { ok: true, type: type.data, base64, dataUrl: `data:${type.data};base64,${base64}` };
}

/** `#rrggbb` or null: the preview only ever paints a colour the broker would accept. */
export function previewColor(value: string, fallback: string): string {
  return /^#[0-9a-fA-F]{6}$/.test(value) ? value.toLowerCase() : fallback;
}
