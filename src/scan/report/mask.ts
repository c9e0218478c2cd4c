/** Mask a secret for display: `ghp_****…abcd` for long secrets, `****` for short ones (too little to spare). */
export function maskSecret(secret: string): string {
  const oneLine = secret.replace(/\s+/g, ' ');
  if (oneLine.length < 20) return '****';
  return `${oneLine.slice(0, 4)}****…${oneLine.slice(-4)}`;
}
