import type { IndicatorApi } from '../../shared/ipc.ts';
import { preloadApi } from '../bridge.ts';
import { indicatorLine } from '../text.ts';
import '../shared.css';
import './indicator.css';

const api = preloadApi<IndicatorApi>();

const status = document.getElementById('status');
const stop = document.getElementById('stop');
if (!status || !(stop instanceof HTMLButtonElement)) throw new Error('indicator markup is missing');

api.onStatus((next) => {
  status.textContent = indicatorLine(next);
});

stop.addEventListener('click', () => {
  stop.disabled = true;
  void api.stop();
});
