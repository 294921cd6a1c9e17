/** Fields of a message class as the caller provides them (message_type is implied by the class). */
export type MessageFields<T> = Omit<T, 'message_type'>;

/** Builds a message instance for sending: `buildMessage(V0AcceptJobRequest, { job_uuid })`. */
export function buildMessage<T extends { message_type: string }>(cls: new () => T, fields: MessageFields<T>): T {
  return Object.assign(new cls(), fields);
}
