/** The URL with its password replaced by `***`, fit to print in logs and error messages. */
export function maskUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (!parsed.password) return url;
    parsed.password = '***';
    return parsed.toString();
  } catch {
    // Not a URL we can parse: hide anything between `user:` and `@` all the same.
    return url.replace(/\/\/([^:/@]*):[^@/]*@/, '//$1:***@');
  }
}
