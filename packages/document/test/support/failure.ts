/** What `fn` throws (an error's code, message and file), or `{}` when it returns. */
export function failure(fn: () => unknown): { code?: string; message?: string; file?: string } {
  try {
    fn();
  } catch (e) {
    return e as { code?: string; message?: string; file?: string };
  }
  return {};
}
