import type { FilesApi } from '../../shared/ipc.ts';
import { preloadApi } from '../bridge.ts';
import { element } from '../dom.ts';
import { fileView } from '../text.ts';
import '../shared.css';
import './files.css';

const api = preloadApi<FilesApi>();
const accept = element('accept', HTMLButtonElement);
const decline = element('decline', HTMLButtonElement);

/** The question this window shows: the answer names it, so it can only ever apply to this file. */
let shownId: string | null = null;

function answer(decide: (id: string) => Promise<void>): void {
  accept.disabled = true;
  decline.disabled = true;
  if (shownId !== null) void decide(shownId);
}

accept.addEventListener('click', () => answer(api.accept));
decline.addEventListener('click', () => answer(api.decline));

void api.request().then((question) => {
  if (!question) return;
  shownId = question.id;
  const v = fileView(question);
  document.documentElement.lang = question.language;
  document.title = v.title;
  element('title', HTMLHeadingElement).textContent = v.title;
  element('question', HTMLParagraphElement).textContent = v.question;
  element('where', HTMLParagraphElement).textContent = v.where;
  accept.textContent = v.accept;
  decline.textContent = v.decline;
  accept.disabled = false;
  decline.disabled = false;
  decline.focus();
});
