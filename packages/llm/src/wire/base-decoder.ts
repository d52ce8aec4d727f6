import { type CredentialHint, classifyProviderError, type ModelError, modelError } from "../errors.js";
import type { SseEvent } from "./sse.js";
import { type ContentEvent, type DecodeOutcome, parsePayload, type StreamDecoder } from "./types.js";

/** What a wire format's decoder says about itself in the errors the base writes. */
export interface DecoderWording {
  /** What one SSE message is called in this format ("event", "chunk"). */
  unit: string;
  /** The event whose absence means the stream was cut ("message_stop", …). */
  terminal: string;
}

/**
 * The part every provider stream decoder shares: ignore events after the end,
 * parse the JSON payload (a bad one ends the stream as `bad_response`), turn an
 * in-stream error into a classified failure, keep the first failure, and
 * report a stream that ended before its terminal event as `stream_cut`.
 * Subclasses decode their format's payloads and say when the content is whole.
 */
export abstract class BaseStreamDecoder implements StreamDecoder {
  done = false;
  started = false;
  private failure: ModelError | undefined;

  constructor(
    protected readonly hint: CredentialHint,
    private readonly wording: DecoderWording,
  ) {}

  push(event: SseEvent, out: ContentEvent[]): void {
    if (this.done) return;
    this.started = true;
    if (this.isEndMarker(event.data)) {
      this.done = true;
      return;
    }
    const data = parsePayload(event.data);
    if (data === undefined) {
      this.fail(
        modelError(
          "bad_response",
          `${this.hint.provider}: a stream ${this.wording.unit} is not JSON: ${event.data.slice(0, 120)}`,
        ),
      );
      return;
    }
    if (this.isErrorPayload(data)) {
      this.fail(classifyProviderError(0, data, this.hint));
      return;
    }
    this.onPayload(data, out);
  }

  finish(out: ContentEvent[], cut: boolean): DecodeOutcome {
    if (this.failure) return { ok: false, error: this.failure };
    const outcome = this.complete(out);
    if (outcome !== undefined) return outcome;
    const how = cut ? "was cut" : "ended";
    return {
      ok: false,
      error: modelError(
        "stream_cut",
        `${this.hint.provider}: the stream ${how} before ${this.wording.terminal}.`,
      ),
    };
  }

  /** Ends the stream with `error`; the first failure is the one reported. */
  protected fail(error: ModelError): void {
    this.failure ??= error;
    this.done = true;
  }

  /** A non-JSON terminal message (Chat's `[DONE]`); none by default. */
  protected isEndMarker(_data: string): boolean {
    return false;
  }

  /** An in-stream provider error; `{"type":"error",…}` unless the format says otherwise. */
  protected isErrorPayload(data: Record<string, unknown>): boolean {
    return data.type === "error";
  }

  /** Decodes one parsed payload, appending what it yields to `out`. */
  protected abstract onPayload(data: Record<string, unknown>, out: ContentEvent[]): void;

  /**
   * The successful outcome, with any closing events appended to `out`; undefined
   * when the terminal event (or what the format accepts instead) never came.
   */
  protected abstract complete(out: ContentEvent[]): DecodeOutcome | undefined;
}
