import { natsPasswordVariable, natsPermissions, natsUsers } from '@chatroulette/contracts';

/**
 * The `authorization` block of nats-server's configuration: one user per service, each with the
 * allow-lists of natsPermissions and its password taken from the environment (a server started
 * without one of them refuses to start). deploy/nats/authorization.conf is this text.
 */
export function natsAuthorizationConf(namespace = ''): string {
  const permissions = natsPermissions(namespace);
  const list = (subjects: string[]) => `[${subjects.map((s) => JSON.stringify(s)).join(', ')}]`;
  const users = natsUsers.map((user) => {
    const p = permissions[user];
    return [
      '    {',
      `      user: ${JSON.stringify(user)}`,
      `      password: $${natsPasswordVariable(user)}`,
      '      permissions: {',
      `        publish: { allow: ${list(p.publish)} }`,
      `        subscribe: { allow: ${list(p.subscribe)} }`,
      ...(p.allowResponses ? ['        allow_responses: true'] : []),
      '      }',
      '    }',
    ].join('\n');
  });
  const header = [
    '# Generated from libs/contracts (natsPermissions) by `npm run nats:permissions`: do not edit by hand.',
    `# One user per service, with what it may publish and subscribe to${namespace ? ` (namespace "${namespace}")` : ''};`,
    '# no anonymous access. Each password comes from the environment of nats-server.',
  ];
  return [...header, 'authorization {', '  users: [', users.join('\n'), '  ]', '}', ''].join('\n');
}
