import type { XunshiError } from '@xunshi/types';

/** What `f` throws (undefined when it returns). */
export function thrownBy(f: () => unknown): XunshiError | undefined {
  try {
    f();
  } catch (e) {
    return e as XunshiError;
  }
  return undefined;
}

/** What `f` throws or its promise rejects with (undefined when it resolves). */
export async function rejectionOf(f: () => unknown): Promise<XunshiError | undefined> {
  try {
    await f();
  } catch (e) {
    return e as XunshiError;
  }
  return undefined;
}
