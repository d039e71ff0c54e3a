// Shared by every app's browser tests (apps/*/e2e): one accessibility gate, one set of rules.
import AxeBuilder from '@axe-core/playwright';
import { expect, type Page } from '@playwright/test';

/**
 * axe-core over what the page shows now (WCAG 2.x A and AA rules and axe's best
 * practices). Serious and critical findings fail the test, named with their
 * nodes so the failure says what to fix; minor and moderate ones are not gated.
 */
export async function expectAccessible(page: Page, what: string, include?: string): Promise<void> {
  let builder = new AxeBuilder({ page }).withTags([
    'wcag2a',
    'wcag2aa',
    'wcag21a',
    'wcag21aa',
    'best-practice',
  ]);
  if (include) builder = builder.include(include);
  const { violations } = await builder.analyze();
  const bad = violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.impact} ${v.id}: ${v.help} — ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
  expect(bad, `axe on ${what}`).toEqual([]);
}
