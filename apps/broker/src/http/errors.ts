import { ErrorCode, errorBody } from '@beckon/protocol';
import type { FastifyError, FastifyInstance } from 'fastify';
import { ApiError } from '../domain/api-error.ts';
import { MailInputError } from '../mail/escape.ts';

/** Every error leaves as `{"error": {"code", "message", "details?"}}` with a fitting status. */
export function registerErrorHandling(app: FastifyInstance): void {
  app.setErrorHandler((error: FastifyError | ApiError, req, reply) => {
    if (error instanceof ApiError) {
      void reply.headers(error.headers).status(error.status).send(error.body());
      return;
    }
    // A value that cannot go into a mail (a `javascript:` link, a line break in a subject) is bad
    // input, never a server fault: the same input would fail again.
    if (error instanceof MailInputError) {
      const issues = [{ path: error.path ?? '', message: error.message }];
      void reply.status(400).send(errorBody(ErrorCode.VALIDATION_FAILED, error.message, { issues }));
      return;
    }
    const status = error.statusCode ?? 500;
    if (status >= 500) {
      req.log.error({ err: error }, 'unhandled error');
      void reply.status(500).send(errorBody(ErrorCode.INTERNAL, 'internal error'));
      return;
    }
    const code =
      status === 413
        ? ErrorCode.PAYLOAD_TOO_LARGE
        : status === 429
          ? ErrorCode.RATE_LIMITED
          : status === 404
            ? ErrorCode.NOT_FOUND
            : ErrorCode.BAD_REQUEST;
    void reply.status(status).send(errorBody(code, error.message.slice(0, 300)));
  });
  app.setNotFoundHandler((req, reply) => {
    void reply
      .status(404)
      .send(errorBody(ErrorCode.NOT_FOUND, `no route ${req.method} ${req.url.split('?')[0]}`));
  });
}
