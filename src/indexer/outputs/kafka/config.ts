/** `outputs: [{ kafka: {...} }]`: produce selected events to another topic (acks=all). */
import { z } from 'zod';

export const kafkaOutputSchema = z.strictObject({
  /** Topic template: `logs-errors`, `%{[service]}-events`. */
  topic: z.string().min(1),
  /** Only events for which this condition holds are produced (e.g. `[level] == "ERROR"`); all when absent. */
  if: z.string().min(1).optional(),
  /** Message key template; the source message's key when absent. */
  key: z.string().min(1).optional(),
});

export type KafkaOutputConfig = z.infer<typeof kafkaOutputSchema>;
