import type { WindowBrand } from '../shared/ipc.ts';
import { safeColor } from './text.ts';

/** The element with `id`, of the expected type, or a loud failure (the markup is ours). */
export function element<T extends HTMLElement>(id: string, type: new () => T): T {
  const found = document.getElementById(id);
  if (!(found instanceof type)) throw new Error(`#${id} is missing`);
  return found;
}

/**
 * Applies branding through the CSSOM (allowed by the windows' CSP, unlike a
 * style attribute) and only with a checked colour and a data: image.
 */
export function applyBrand(brand: WindowBrand | null, orgName: string | null, bar: HTMLElement): void {
  const color = safeColor(brand?.color);
  if (color) document.documentElement.style.setProperty('--brand', color);
  const name = document.createElement('span');
  name.textContent = orgName ?? 'Beckon Assist';
  if (brand?.logo?.startsWith('data:image/')) {
    const logo = document.createElement('img');
    logo.alt = '';
    logo.src = brand.logo;
    bar.append(logo);
  }
  bar.append(name);
}
