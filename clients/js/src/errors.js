// BeckonError: every failure of a call, carrying Beckon's error JSON ({error, message, state?}).

/** A failed call: `status` (0 when Beckon could not be reached), `code` (Beckon's `error` field), `message`, `state`, `retryAfter`. */
export class BeckonError extends Error {
  constructor({ status, code, message, state, retryAfter }) {
    super(message);
    this.name = 'BeckonError';
    this.status = status;
    this.code = code;
    this.state = state;
    this.retryAfter = retryAfter;
  }

  /** The error a non-2xx answer stands for; a body that is not Beckon's error JSON becomes its text. */
  static fromResponse(response, text) {
    let json = null;
    try {
      json = JSON.parse(text);
    } catch {
      // not Beckon's error format (a proxy's page, say)
    }
    return new BeckonError({
      status: response.status,
      code: typeof json?.error === 'string' ? json.error : 'http_' + response.status,
      message: typeof json?.message === 'string' ? json.message : (text || response.statusText || 'HTTP ' + response.status),
      state: json?.state,
      retryAfter: retryAfterSeconds(response.headers.get('Retry-After')),
    });
  }

  static network(cause) {
    const error = new BeckonError({ status: 0, code: 'network', message: 'Beckon could not be reached: ' + (cause?.message ?? cause) });
    error.cause = cause;
    return error;
  }
}

/** Retry-After as seconds: either delta-seconds or an HTTP date. */
function retryAfterSeconds(header) {
  if (header == null || header === '') return undefined;
  if (/^\d+$/.test(header.trim())) return Number(header.trim());
  const at = Date.parse(header);
  return Number.isNaN(at) ? undefined : Math.max(0, Math.ceil((at - Date.now()) / 1000));
}
