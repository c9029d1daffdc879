import { attachmentBytes, fileSize, safeFileName, type MessageAttachment } from '../../src/core/message.js';

/** The image types Teams renders inline in a bot message. */
export const INLINE_IMAGE_TYPES: readonly string[] = ['image/png', 'image/jpeg', 'image/gif'];
/**
 * Teams refuses a bot message over about 100 KB of activity JSON (HTTP 413), and an inline image travels inside it,
 * base64-encoded, a third larger than the file. The images of one message share what is left beside the longest
 * text the adapter puts in a message (24,000 bytes) and the envelope: about 72 KB encoded, some 54 KB of PNG. A report
 * chart is 20 to 40 KB. Teams also shows images of at most 1024×1024 pixels; the pixels are not checked here (report
 * charts are 800 wide).
 */
export const MAX_ACTIVITY_BYTES = 100 * 1024;
export const IMAGE_BUDGET_BYTES = MAX_ACTIVITY_BYTES - 24_000 - 4 * 1024;

/** A Bot Framework inline image: an image MIME type and the bytes as a base64 data URI, nothing hosted. */
export interface InlineImage {
  contentType: string;
  contentUrl: string;
  name: string;
}

/** The images a message shows and, for every file it cannot show, a note that goes into the text instead. */
export interface InlineImages {
  images: InlineImage[];
  notes: string[];
}

/** `image/PNG; charset=x` and `image/png` are the same type to Teams; anything after the `;` is not a MIME type. */
function mimeOf(contentType: string): string {
  return (contentType.split(';')[0] ?? '').trim().toLowerCase();
}

/** Why Teams cannot show the attachment beside `used` bytes of images already on the message, or undefined when it can. */
function refusal(type: string, encodedBytes: number, used: number): string | undefined {
  if (!INLINE_IMAGE_TYPES.includes(type)) {
    // A bot can post a file in a channel only through Graph and SharePoint, which opsroom does not ask for.
    return 'Teams shows only images (PNG, JPEG, GIF) from a bot';
  }
  if (used + encodedBytes > IMAGE_BUDGET_BYTES) {
    return `a Teams message holds at most ${MAX_ACTIVITY_BYTES / 1024} KB, and its images at most ${fileSize(IMAGE_BUDGET_BYTES)} encoded`;
  }
  return undefined;
}

/** The message's attachments as inline images; the rest are named in notes, so nothing vanishes without a word. */
export function inlineImages(attachments: readonly MessageAttachment[] | undefined): InlineImages {
  const result: InlineImages = { images: [], notes: [] };
  let used = 0;
  (attachments ?? []).forEach((attachment, index) => {
    const name = safeFileName(attachment.name, index);
    const type = mimeOf(attachment.contentType);
    const data = attachmentBytes(attachment);
    const contentUrl = `data:${type};base64,${data.toString('base64')}`;
    const why = refusal(type, contentUrl.length, used);
    if (why) {
      result.notes.push(`_${name} (${fileSize(data.length)}) is not shown: ${why}_`);
      return;
    }
    used += contentUrl.length;
    result.images.push({ contentType: type, contentUrl, name });
  });
  return result;
}
