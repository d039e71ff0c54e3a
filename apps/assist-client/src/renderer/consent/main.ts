import { assistTexts } from '../../shared/i18n.ts';
import type { ConsentApi } from '../../shared/ipc.ts';
import { preloadApi } from '../bridge.ts';
import { applyBrand, element } from '../dom.ts';
import { consentView, countdownText } from '../text.ts';
import '../shared.css';
import './consent.css';

const api = preloadApi<ConsentApi>();
const allow = element('allow', HTMLButtonElement);
const deny = element('deny', HTMLButtonElement);

function answer(decide: () => Promise<void>): void {
  allow.disabled = true;
  deny.disabled = true;
  void decide();
}

allow.addEventListener('click', () => answer(api.allow));
deny.addEventListener('click', () => answer(api.deny));

void api.request().then((prompt) => {
  if (!prompt) {
    element('asks', HTMLParagraphElement).textContent = assistTexts('en')('consent.none');
    return;
  }
  const v = consentView(prompt);
  document.documentElement.lang = prompt.language;
  document.title = v.title;
  applyBrand(prompt.brand, prompt.organisationName, element('brandbar', HTMLElement));
  element('title', HTMLHeadingElement).textContent = v.title;
  element('asks', HTMLParagraphElement).textContent = v.asks;
  const message = element('brand-message', HTMLParagraphElement);
  message.textContent = prompt.brand?.message ?? '';
  message.hidden = !prompt.brand?.message;
  if (v.reason) {
    element('reason-label', HTMLElement).textContent = v.reasonLabel;
    element('reason', HTMLElement).textContent = v.reason;
    element('reason-block', HTMLElement).hidden = false;
  }
  element('wants', HTMLParagraphElement).textContent = v.wants;
  const list = element('permissions', HTMLUListElement);
  for (const text of v.permissions) {
    const item = document.createElement('li');
    item.textContent = text;
    list.append(item);
  }
  element('nothing', HTMLParagraphElement).textContent = v.nothing;
  allow.textContent = v.allow;
  deny.textContent = v.deny;
  const countdown = element('countdown', HTMLParagraphElement);
  const tick = () => (countdown.textContent = countdownText(prompt, Date.now()));
  tick();
  setInterval(tick, 250);
  allow.disabled = false;
  deny.disabled = false;
  // Deny has the focus: a stray Enter never shares the screen.
  deny.focus({ preventScroll: true });
});
