/** "Did you mean …?" for names a user mistyped (config keys, filter names, grok patterns). */

/**
 * The candidate closest to `word` by edit distance, if it is close enough: at most
 * `max(2, word.length / divisor)` edits. Ties go to the earlier candidate.
 */
export function closest(word: string, candidates: Iterable<string>, divisor = 3): string | undefined {
  let best: string | undefined;
  let bestDistance = Math.max(2, Math.floor(word.length / divisor)) + 1;
  for (const candidate of candidates) {
    if (Math.abs(candidate.length - word.length) >= bestDistance) continue;
    const d = editDistance(word, candidate);
    if (d < bestDistance) {
      best = candidate;
      bestDistance = d;
    }
  }
  return best;
}

/** Levenshtein distance (insertions, deletions and substitutions cost 1). */
export function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let previous = row[0]!;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const saved = row[j]!;
      row[j] = Math.min(row[j]! + 1, row[j - 1]! + 1, previous + (a[i - 1] === b[j - 1] ? 0 : 1));
      previous = saved;
    }
  }
  return row[b.length]!;
}
