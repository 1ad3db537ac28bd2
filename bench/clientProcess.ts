/**
 * The client child: every caller of the benchmarks (the GraphQL client, the REST scripts,
 * the load generators) runs here, in a process of its own, so that generating requests
 * does not take CPU from the servers under test.
 */
import type { Credentials } from '../src/upstream/credentials.ts';
import { graphqlCreate, sequentialCreate, type CreateArgs } from './createDataflowBench.ts';
import {
  bestDashboard,
  closePools,
  graphqlDashboard,
  restCaller,
  tutorialDashboard,
  type DashboardArgs,
  type RestCaller,
} from './dashboard.ts';
import { abuseLoad, type AbuseLoadArgs } from './abuse.ts';
import { dashboardRound, runLoad, type DashboardLoadArgs, type LoadArgs } from './load.ts';
import { serveCalls } from './rpc.ts';

const callers = new Map<string, RestCaller>();

/** One REST caller (and its undici pools) per platform + org, reused between runs like a long-lived script. */
function rest(platformUrl: string, c: Credentials): RestCaller {
  const key = `${platformUrl}|${c.orgId}`;
  let r = callers.get(key);
  if (r === undefined) {
    r = restCaller(platformUrl, c);
    callers.set(key, r);
  }
  return r;
}

export type DashboardVariant = 'graphql' | 'tutorial' | 'best';

serveCalls(
  {
    dashboard(args: DashboardArgs & { variant: DashboardVariant; url: string; credentials: Credentials }) {
      if (args.variant === 'graphql') return graphqlDashboard(args.url, args);
      const r = rest(args.url, args.credentials);
      return args.variant === 'tutorial' ? tutorialDashboard(r, args) : bestDashboard(r, args);
    },
    create(args: CreateArgs & { variant: 'graphql' | 'sequential'; url: string; credentials: Credentials }) {
      if (args.variant === 'graphql') {
        const c = args.credentials;
        return graphqlCreate(
          args.url,
          {
            authorization: `Bearer ${c.accessToken}`,
            'x-api-key': c.apiKey,
            'x-gw-ims-org-id': c.orgId,
            'x-sandbox-name': c.sandbox,
          },
          args,
        );
      }
      return sequentialCreate(rest(args.url, args.credentials), args);
    },
    load: (args: LoadArgs) => runLoad(args),
    dashboardRound: (args: DashboardLoadArgs) => dashboardRound(args),
    abuseLoad: (args: AbuseLoadArgs) => abuseLoad(args),
  },
  async () => {
    await closePools();
    await Promise.all([...callers.values()].map((r) => r.transport.close()));
  },
);
