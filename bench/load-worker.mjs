// Runs one autocannon load in its own process and sends the summary to the parent.
import autocannon from 'autocannon';

const options = JSON.parse(process.argv[2]);
const result = await autocannon({
  url: options.url,
  connections: options.connections,
  duration: options.durationSeconds,
  method: options.method ?? 'GET',
  headers: options.headers,
  body: options.body,
  overallRate: options.overallRate,
});
process.send(
  {
    requestsPerSecond: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    errors: result.errors + result.timeouts,
    non2xx: result.non2xx,
  },
  () => process.exit(0),
);
