/**
 * `${VAR}`, `${VAR:-default}`, `${VAR-default}`, `${VAR:?message}` and `$${...}` (a literal
 * `${...}`) in configuration string values, resolved from the environment.
 *
 * Interpolation works on parsed YAML scalars, not on the raw text, so that positions in
 * error messages stay exact and a value can never inject YAML structure.
 */

export interface InterpolationFailure {
  variable: string;
  /** What to tell the user: why it failed and how to fix it. */
  reason: string;
}

export type InterpolationResult = { ok: true; value: string; changed: boolean } | { ok: false; failure: InterpolationFailure };

const REFERENCE = /\$\$\{|\$\{([^}]*)\}/g;
const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

export function interpolate(input: string, env: Readonly<Record<string, string | undefined>>): InterpolationResult {
  if (!input.includes('${')) return { ok: true, value: input, changed: false };
  let failure: InterpolationFailure | undefined;
  const value = input.replace(REFERENCE, (match: string, body: string | undefined) => {
    if (match === '$${') return '${';
    if (failure) return match;
    const resolved = resolveReference(body ?? '', env);
    if (typeof resolved === 'string') return resolved;
    failure = resolved;
    return match;
  });
  if (failure) return { ok: false, failure };
  return { ok: true, value, changed: true };
}

function resolveReference(body: string, env: Readonly<Record<string, string | undefined>>): string | InterpolationFailure {
  const operator = /^([^:?-]*)(:-|-|:\?|\?)?([\s\S]*)$/.exec(body);
  const name = operator?.[1] ?? body;
  const op = operator?.[2];
  const argument = operator?.[3] ?? '';
  if (!NAME.test(name)) {
    return {
      variable: name,
      reason: `"\${${body}}" is not a valid reference; use \${NAME}, \${NAME:-default} or \${NAME:?message} (write $\${...} for a literal "\${")`,
    };
  }
  const current = env[name];
  switch (op) {
    case undefined:
      if (current === undefined) {
        return { variable: name, reason: `environment variable ${name} is not set; set it, or give a default with \${${name}:-value}` };
      }
      return current;
    case ':-':
      return current === undefined || current === '' ? argument : current;
    case '-':
      return current === undefined ? argument : current;
    case ':?':
    case '?': {
      const missing = op === ':?' ? current === undefined || current === '' : current === undefined;
      if (missing) {
        const detail = argument === '' ? 'it is required' : argument;
        return { variable: name, reason: `environment variable ${name} is required: ${detail}` };
      }
      return current as string;
    }
    default:
      return { variable: name, reason: `unsupported operator in "\${${body}}"` };
  }
}

/**
 * The type a plain (unquoted) YAML scalar would have had if the substituted text had been
 * written in the file: `port: ${PORT}` with PORT=9092 becomes the number 9092. Quoted
 * scalars always stay strings.
 */
export function retypePlainScalar(value: string): string | number | boolean | null {
  if (/^[-+]?(0|[1-9][0-9]*)$/.test(value)) return Number(value);
  if (/^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$/.test(value)) return Number(value);
  if (/^(true|True|TRUE)$/.test(value)) return true;
  if (/^(false|False|FALSE)$/.test(value)) return false;
  if (/^(null|Null|NULL|~)?$/.test(value)) return value === '' ? '' : null;
  return value;
}
