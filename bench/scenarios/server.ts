import http from 'node:http';
import {
  type BenchOptions,
  type BenchRow,
  ratioRow,
  rssMb,
  runLoad,
  type Scenario,
  startGapura,
} from '../lib.ts';

/** A bare Node HTTP server answering the same bytes as /healthz: the floor of any HTTP figure. */
async function bareServer(): Promise<{ url: string; close(): Promise<void> }> {
  const body = JSON.stringify({ status: 'ok' });
  const server = http.createServer((_req, res) => {
    res.writeHead(200, {
      'content-type': 'application/json; charset=utf-8',
      'content-length': Buffer.byteLength(body),
    });
    res.end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

/**
 * Cold start (process start to /readyz on a fresh database, including migration and demo seeding),
 * idle RSS, and the per-request overhead of the full Gapura stack (hooks, policy, headers) on
 * /healthz against a bare Node server in the same run.
 */
export const serverScenario: Scenario = {
  name: 'server',
  async run(options: BenchOptions): Promise<BenchRow[]> {
    const rows: BenchRow[] = [];
    const seconds = options.quick ? 2 : 10;
    const bare = await bareServer();
    await runLoad({ url: bare.url, connections: 10, durationSeconds: 1 });
    const baseline = await runLoad({ url: bare.url, connections: 10, durationSeconds: seconds });
    await bare.close();
    for (const engine of options.engines) {
      const started = performance.now();
      const server = await startGapura(engine, options.databaseUrl);
      for (;;) {
        const ready = await fetch(`${server.url}/readyz`).catch(() => undefined);
        if (ready?.status === 200) break;
        await new Promise((r) => setTimeout(r, 20));
      }
      const coldStartMs = performance.now() - started;
      await new Promise((r) => setTimeout(r, 1000));
      const idle = await rssMb(server.pid);
      await runLoad({ url: `${server.url}/healthz`, connections: 10, durationSeconds: 1 });
      const load = await runLoad({ url: `${server.url}/healthz`, connections: 10, durationSeconds: seconds });
      rows.push(
        {
          scenario: 'Cold start to /readyz (fresh database, migrate + demo seed)',
          engine,
          figure: 'time',
          value: Math.round(coldStartMs),
          unit: 'ms',
        },
        {
          scenario: 'Idle server',
          engine,
          figure: 'RSS',
          value: idle,
          unit: 'MB',
          target: '≤ 300 MB',
          pass: idle <= 300,
        },
        ratioRow(
          {
            scenario: 'GET /healthz through the full stack vs bare node:http',
            engine,
            figure: 'requests/s',
            value: Math.round(load.requestsPerSecond),
            unit: 'req/s',
            baseline: Math.round(baseline.requestsPerSecond),
            target: '≥ 25% of bare',
            note: `p99 ${load.p99} ms`,
          },
          0.25,
        ),
      );
      await server.stop();
      server.cleanup();
    }
    return rows;
  },
};
