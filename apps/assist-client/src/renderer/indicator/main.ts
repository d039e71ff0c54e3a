import { assistTexts } from '../../shared/i18n.ts';
import type { IndicatorApi, IndicatorStatus } from '../../shared/ipc.ts';
import { preloadApi } from '../bridge.ts';
import { element } from '../dom.ts';
import { indicatorCode, indicatorLine } from '../text.ts';
import '../shared.css';
import './indicator.css';

const api = preloadApi<IndicatorApi>();
const status = element('status', HTMLSpanElement);
const code = element('code', HTMLSpanElement);
const stop = element('stop', HTMLButtonElement);

function show(next: IndicatorStatus): void {
  document.documentElement.lang = next.language;
  status.textContent = indicatorLine(next);
  code.textContent = indicatorCode(next);
  stop.textContent = assistTexts(next.language)('indicator.stop');
}

api.onStatus(show);
void api.status().then((current) => current && show(current));

stop.addEventListener('click', () => {
  stop.disabled = true;
  void api.stop();
});
