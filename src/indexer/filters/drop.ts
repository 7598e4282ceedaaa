/**
 * `drop`: drops the event (put it under a conditional). `percentage` drops only that share
 * of events, at random (Logstash's option).
 */
import { z } from 'zod';
import { defineFilter } from './filter.ts';

export const dropFilter = defineFilter(
  'drop',
  {
    /** Share of events dropped, 0–100. */
    percentage: z.number().min(0).max(100).default(100),
  },
  (options, context) => {
    if (options.percentage >= 100) return () => null;
    const share = options.percentage / 100;
    return () => (context.random() < share ? null : true);
  },
);
