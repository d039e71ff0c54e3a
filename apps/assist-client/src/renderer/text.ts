import type { ConsentPrompt, IndicatorStatus } from '../shared/ipc.ts';

/** The question the consent window asks. */
export function consentQuestion(prompt: ConsentPrompt): string {
  const who = prompt.organisationName ? `${prompt.agentName} (${prompt.organisationName})` : prompt.agentName;
  const what = prompt.remoteControl ? 'see your screen and control your computer' : 'see your screen';
  return `${who} wants to ${what}. Nothing is shared until you allow it.`;
}

/** The always-visible line in the indicator. */
export function indicatorLine(status: IndicatorStatus): string {
  return status.phase === 'live'
    ? `${status.agentName} is connected to this computer`
    : `Connecting to ${status.agentName}…`;
}
