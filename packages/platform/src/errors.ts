import { StoreError } from "@toad/store";
import { ServerError, Status } from "nice-grpc-common";

/**
 * Errors crossing the service seam are `ServerError`s with a gRPC status
 * code: the in-process client and a real gRPC server both hand them to the
 * caller as `ClientError` with the same code and message.
 */
export { ServerError, Status };

export const notFound = (message: string) => new ServerError(Status.NOT_FOUND, message);
export const invalidArgument = (message: string) => new ServerError(Status.INVALID_ARGUMENT, message);
export const failedPrecondition = (message: string) => new ServerError(Status.FAILED_PRECONDITION, message);
export const unauthenticated = (message: string) => new ServerError(Status.UNAUTHENTICATED, message);
export const permissionDenied = (message: string) => new ServerError(Status.PERMISSION_DENIED, message);
export const resourceExhausted = (message: string) => new ServerError(Status.RESOURCE_EXHAUSTED, message);
export const unimplemented = (message: string) => new ServerError(Status.UNIMPLEMENTED, message);
export const unavailable = (message: string) => new ServerError(Status.UNAVAILABLE, message);

const STORE_STATUS: Record<StoreError["code"], Status> = {
  session_not_found: Status.NOT_FOUND,
  session_exists: Status.ALREADY_EXISTS,
  invalid_input: Status.INVALID_ARGUMENT,
  invalid_event: Status.INVALID_ARGUMENT,
  corrupt_data: Status.DATA_LOSS,
  schema_too_new: Status.FAILED_PRECONDITION,
  no_location: Status.FAILED_PRECONDITION,
};

/** Domain errors as gRPC statuses; anything unknown stays as it is (the transport reports INTERNAL/UNKNOWN). */
export function toServerError(error: unknown): unknown {
  if (error instanceof ServerError) return error;
  if (error instanceof StoreError) return new ServerError(STORE_STATUS[error.code], error.message);
  return error;
}

/** Runs `work`, turning domain errors into gRPC statuses. */
export async function mapErrors<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    throw toServerError(error);
  }
}
