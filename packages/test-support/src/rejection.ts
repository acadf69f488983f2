/** What a promise rejected with; fails the test when it resolves instead. */
export async function rejection(
  promise: Promise<unknown>,
): Promise<Error & { code?: string; extensions?: Record<string, unknown> }> {
  try {
    await promise;
  } catch (error) {
    return error as Error & { code?: string; extensions?: Record<string, unknown> };
  }
  throw new Error("expected the promise to reject, but it resolved");
}
