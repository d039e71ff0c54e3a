import type { ConsentApi } from '../../shared/ipc.ts';
import { preloadApi } from '../bridge.ts';
import { consentQuestion } from '../text.ts';
import '../shared.css';
import './consent.css';

const api = preloadApi<ConsentApi>();

function element<T extends HTMLElement>(id: string, type: new () => T): T {
  const found = document.getElementById(id);
  if (!(found instanceof type)) throw new Error(`#${id} is missing`);
  return found;
}

const question = element('question', HTMLParagraphElement);
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
    question.textContent = 'There is nothing to answer.';
    return;
  }
  question.textContent = consentQuestion(prompt);
  allow.disabled = false;
  deny.disabled = false;
  deny.focus();
});
