/** The Personio integration is part of the Business plan and above. */
export const ELIGIBLE_PLANS: readonly string[] = ['business', 'enterprise'];

export function isPlanEligible(plan: string): boolean {
  return ELIGIBLE_PLANS.includes(plan);
}
