/** `data:<mime>;base64,<payload>`: the only data URI form Teams renders as an inline image. */
const DATA_URI = /^data:([a-z0-9!#$&^_.+-]+\/[a-z0-9!#$&^_.+-]+);base64,([A-Za-z0-9+/]*={0,2})$/i;

function isHttpsUrl(value: string): boolean {
  try {
    return new URL(value).protocol === 'https:';
  } catch {
    return false;
  }
}

/** Why a data URI is malformed or does not match its attachment's type, or undefined when it is fine. */
function dataUriProblem(url: string, contentType: string): string | undefined {
  const match = DATA_URI.exec(url);
  if (!match) return 'is neither an https URL nor a data:<mime>;base64,<data> URI';
  const [, mime, payload] = match as unknown as [string, string, string];
  if (payload.length === 0 || payload.length % 4 !== 0) return 'has a base64 payload that is empty or not padded to a multiple of 4';
  if (mime.toLowerCase() !== contentType.toLowerCase()) return `is a data URI of ${mime} while contentType says ${contentType}`;
  return undefined;
}

function attachmentProblem(attachment: unknown): string | undefined {
  if (typeof attachment !== 'object' || attachment === null) return 'is not an object';
  const { contentType, content, contentUrl } = attachment as Record<string, unknown>;
  if (typeof contentType !== 'string' || contentType.length === 0) return 'has no contentType string';
  if (content !== undefined && content !== null) return undefined;
  if (typeof contentUrl !== 'string') return 'has neither content nor a contentUrl';
  return isHttpsUrl(contentUrl) ? undefined : dataUriProblem(contentUrl, contentType);
}

/**
 * What the real connector would refuse in an activity's attachments, or undefined when they are well formed:
 * each needs a contentType and either content (a card) or a contentUrl that is https or a base64 data URI of that
 * type. A malformed attachment thus fails the test that sent it, as it would fail in Teams.
 */
export function attachmentsProblem(activity: Record<string, unknown> | undefined): string | undefined {
  const attachments = activity?.attachments;
  if (attachments === undefined) return undefined;
  if (!Array.isArray(attachments)) return 'activity.attachments is not an array';
  for (const [index, attachment] of attachments.entries()) {
    const problem = attachmentProblem(attachment);
    if (problem) return `activity.attachments[${index}] ${problem}`;
  }
  return undefined;
}
