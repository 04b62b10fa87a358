import { Locator } from 'playwright-core';
import { eventually } from '../eventually';

const DEADLINE_MS = 10_000;
const INTERVAL_MS = 50;

/**
 * The few web-first assertions the browser tests need (playwright-core has no `expect`): each polls the
 * page until the jest assertion holds, and fails with its last message after the deadline.
 */
export function pageExpect(locator: Locator) {
  const poll = (check: () => Promise<void>) => eventually(check, DEADLINE_MS, INTERVAL_MS);
  const assertions = (negate: boolean) => {
    const is = <T>(actual: T) => (negate ? expect(actual).not : expect(actual));
    return {
      toBeVisible: () => poll(async () => is(await locator.isVisible()).toBe(true)),
      toHaveCount: (count: number) => poll(async () => is(await locator.count()).toBe(count)),
      toHaveAttribute: (name: string, value: string) =>
        poll(async () => is(await locator.getAttribute(name, { timeout: 1000 }).catch(() => null)).toBe(value)),
      toHaveText: (text: string) =>
        poll(async () => is((await locator.textContent({ timeout: 1000 }))?.trim()).toBe(text)),
      toContainText: (text: string) =>
        poll(async () => is((await locator.textContent({ timeout: 1000 })) ?? '').toContain(text)),
      toBeChecked: () => poll(async () => is(await locator.isChecked({ timeout: 1000 })).toBe(true)),
    };
  };
  return { ...assertions(false), not: assertions(true) };
}
