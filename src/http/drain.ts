import type { FastifyInstance } from 'fastify';

/**
 * Connection handling during the drain (SIGTERM, `app.close()`): once closing starts, every answer
 * carries `Connection: close`, so the socket of a request that was in flight ends with its answer.
 * Without it a kept-alive connection would hold the listener open until its keep-alive timeout
 * (72 s) and delay the node's exit long after the last request finished.
 */
export function registerDrain(app: FastifyInstance): void {
  let draining = false;
  app.addHook('preClose', (done) => {
    draining = true;
    done();
  });
  // Callback style: on the hot paths a promise per hook per request shows.
  app.addHook('onSend', (_req, reply, payload, done) => {
    if (draining) reply.header('connection', 'close');
    done(null, payload);
  });
}
