/** Which requests a fault or a hold applies to: the first `times` matches after skipping `skip`. */
export interface RequestMatcher {
  method?: string;
  path: RegExp;
  times: number;
  skip: number;
}

/** Takes the first rule matching this request, honouring `skip` and `times` (both count down). */
export function takeMatch<T extends RequestMatcher>(rules: readonly T[], method: string, path: string): T | undefined {
  for (const rule of rules) {
    if (rule.times <= 0) continue;
    if (rule.method !== undefined && rule.method.toUpperCase() !== method) continue;
    if (!rule.path.test(path)) continue;
    if (rule.skip > 0) {
      rule.skip--;
      continue;
    }
    rule.times--;
    return rule;
  }
  return undefined;
}
