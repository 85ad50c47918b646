// The typed failures of the Node device client: what the server refused, or why it could not be reached.

/** A call to the device API that failed; `code` is the server's error code (or UNREACHABLE, BAD_RESPONSE). */
export class DeviceApiError extends Error {
  override name = 'DeviceApiError';
  /** HTTP status, 0 when no answer arrived. */
  readonly status: number;
  readonly code: string;
  /** The server's own message, when it sent one. */
  readonly serverMessage: string | undefined;

  constructor(status: number, code: string, message: string, serverMessage?: string) {
    super(message);
    this.status = status;
    this.code = code;
    this.serverMessage = serverMessage;
  }
}

/** Input the client cannot use (an activation text, an account file); the message says what and where. */
export class DeviceInputError extends Error {
  override name = 'DeviceInputError';
}
