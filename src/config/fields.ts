/** Schema building blocks shared by the sections of every component. */
import { z } from 'zod';

/** A TCP port; 0 means "any free port" (tests use it; the chosen port is printed). */
export const port = () => z.number().int().min(0).max(65535);
export const host = () => z.string().min(1);

/** A JavaScript regular expression source, checked when the configuration is loaded. */
export const regexSource = () =>
  z.string().refine(
    (source) => {
      try {
        new RegExp(source);
        return true;
      } catch {
        return false;
      }
    },
    { error: 'a valid regular expression' },
  );
