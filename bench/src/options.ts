/** Command-line options of `npm run bench`. */
export interface BenchOptions {
  quick: boolean;
  /** Which scenarios to run (default all). */
  only: Set<string>;
  workers: number;
  stepMs: number;
  /** Target delivered frames/s of the fan-out steps. */
  fanoutSteps: number[];
  pairSockets: number;
  roomSockets: number;
  e2eChats: number;
  e2eRates: number[];
  /** Lower rates tried, lowest first (until one fails), when the first of e2eRates already fails. */
  e2eProbes: number[];
  e2eStepMs: number;
  idleSockets: number;
  matchUsers: number;
  profile: boolean;
  /** Gateway processes sharing the gateway's port (SO_REUSEPORT); the sockets scenario always uses 1. */
  gatewayProcesses: number;
  /** NATS namespace (default: a fresh short one per run). */
  namespace: string | undefined;
  /**
   * The cluster topology (--cluster): a NATS cluster of three of the bench's own (R3 streams), two
   * processes of each service, two gateway processes (or --gateway-processes) on one port.
   */
  cluster: boolean;
}

export const scenarioNames = ['peers', 'fanout', 'e2e', 'sockets', 'matching', 'budgets'] as const;

export function parseOptions(argv: string[]): BenchOptions {
  const quick = argv.includes('--quick');
  const onlyArg = argv.find((a) => a.startsWith('--only='));
  const only = new Set(onlyArg ? onlyArg.slice(7).split(',') : scenarioNames);
  for (const s of only) if (!(scenarioNames as readonly string[]).includes(s)) throw new Error(`unknown scenario ${s}; known: ${scenarioNames.join(', ')}`);
  const workersArg = argv.find((a) => a.startsWith('--workers='));
  const gwArg = argv.find((a) => a.startsWith('--gateway-processes='));
  const gatewayProcesses = gwArg ? Number(gwArg.slice('--gateway-processes='.length)) : 1;
  if (!Number.isInteger(gatewayProcesses) || gatewayProcesses < 1 || gatewayProcesses > 16) {
    throw new Error(`--gateway-processes must be an integer from 1 to 16, got ${gwArg!.slice('--gateway-processes='.length)}`);
  }
  return {
    quick,
    only,
    workers: workersArg ? Number(workersArg.slice(10)) : quick ? 2 : 4,
    stepMs: quick ? 500 : 3000,
    fanoutSteps: quick
      ? [20_000, 80_000]
      : [20_000, 30_000, 40_000, 60_000, 80_000, 120_000, 160_000, 240_000, 320_000, 480_000, 640_000, 960_000, 1_280_000, 1_600_000, 2_000_000],
    pairSockets: quick ? 1000 : 10_000,
    roomSockets: quick ? 200 : 1000,
    e2eChats: quick ? 100 : 500,
    // The same steps for every path; 1500 and 3000 are the REST and socket goals.
    e2eRates: quick ? [200, 500] : [500, 1000, 1500, 2000, 3000, 4000, 5000, 7500, 10_000, 15_000],
    e2eProbes: quick ? [] : [100, 200, 300, 400],
    e2eStepMs: quick ? 700 : 4000,
    idleSockets: quick ? 2000 : 19_000,
    matchUsers: quick ? 100 : 1000,
    profile: argv.includes('--profile'),
    gatewayProcesses,
    namespace: argv.find((a) => a.startsWith('--namespace='))?.slice(12),
    cluster: argv.includes('--cluster'),
  };
}
