/** The message of anything thrown, for wrapping it in a clearer error. */
export function messageOf(error: unknown): string {
  if (error instanceof Error) return error.message;
  return String(error);
}
