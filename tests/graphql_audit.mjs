// Runs the GraphQL-over-HTTP server audits of the npm package graphql-http against a running server.
//
//   node tests/graphql_audit.mjs http://127.0.0.1:8000/graphql
//
// graphql-http is found in the node_modules directory named by KG_GRAPHQL_HTTP_MODULES (see .ci/run).
// Every result is printed, one per line; the exit status is 1 when a MUST audit does not pass.
import { createRequire } from 'node:module';
import { join } from 'node:path';

const [url] = process.argv.slice(2);
const modules = process.env.KG_GRAPHQL_HTTP_MODULES;
if (!url || !modules) {
  console.error('usage: KG_GRAPHQL_HTTP_MODULES=<node_modules dir> node tests/graphql_audit.mjs <url>');
  process.exit(2);
}
const { serverAudits } = createRequire(join(modules, 'graphql-http', 'package.json'))('graphql-http');

let failedMusts = 0;
for (const audit of serverAudits({ url })) {
  const result = await audit.fn();
  const level = result.name.split(' ')[0];
  const passed = result.status === 'ok';
  if (!passed && level === 'MUST') failedMusts += 1;
  const reason = passed ? '' : ` -- ${result.reason}`;
  console.log(`${passed ? 'ok  ' : 'FAIL'} ${result.id} ${result.name}${reason}`);
}
console.log(failedMusts === 0 ? 'every MUST audit passed' : `${failedMusts} MUST audit(s) failed`);
process.exit(failedMusts === 0 ? 0 : 1);
