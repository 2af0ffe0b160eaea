/**
 * `npm run nats:permissions`: writes deploy/nats/authorization.conf from libs/contracts (every
 * service's publish and subscribe allow-lists). `-- --namespace <ns>` writes it for a deployment
 * that sets NATS_NAMESPACE; `-- --out <file>` writes elsewhere; `-- --check` only says whether the
 * committed file is current (exit 1 when not).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { natsAuthorizationConf } from '@chatroulette/nats';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const { values } = parseArgs({
  options: { namespace: { type: 'string', default: '' }, out: { type: 'string' }, check: { type: 'boolean', default: false } },
});
const out = path.resolve(values.out ?? path.join(root, 'deploy/nats/authorization.conf'));
const text = natsAuthorizationConf(values.namespace);

if (values.check) {
  let current = '';
  try {
    current = readFileSync(out, 'utf8');
  } catch {
    // missing: not current
  }
  if (current !== text) {
    console.error(`${path.relative(root, out)} is not what libs/contracts gives: run npm run nats:permissions`);
    process.exit(1);
  }
  console.log(`${path.relative(root, out)} is current`);
} else {
  writeFileSync(out, text);
  console.log(`wrote ${path.relative(root, out)}`);
}
