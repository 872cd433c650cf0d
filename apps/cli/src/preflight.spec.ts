import { preflightMessage } from './preflight';

describe(preflightMessage.name, () => {
  it('names every unreachable service and how to get it, in one message', () => {
    const message = preflightMessage([
      {
        service: 'PostgreSQL',
        url: 'postgres://postgres@127.0.0.1:5439/assises',
        kind: 'unreachable',
        reason: 'connect ECONNREFUSED',
      },
      {
        service: 'Redis',
        url: 'redis://127.0.0.1:6390',
        kind: 'unreachable',
        reason: 'connect ECONNREFUSED',
      },
    ]);
    expect(message).toContain(
      'PostgreSQL is not reachable at postgres://postgres@127.0.0.1:5439/assises',
    );
    expect(message).toContain('Redis is not reachable at redis://127.0.0.1:6390');
    expect(message).toContain('docker compose -f docker/compose.yml up -d postgres redis');
    expect(message).toContain('sudo apt-get install postgresql redis-server');
  });

  it('does not suggest installing a server that answered but refused the login', () => {
    const message = preflightMessage([
      {
        service: 'PostgreSQL',
        url: 'postgres://jo:***@db/assises',
        kind: 'refused',
        reason: 'password authentication failed',
      },
    ]);
    expect(message).toContain('answered but refused the connection');
    expect(message).not.toContain('apt-get');
  });
});
