import { describe, expect, it } from 'vitest';
import { contentDisposition } from '../../../../src/http/console/api/chat-files-api.js';

describe('contentDisposition', () => {
  it('gives every browser a plain ASCII name and the exact one in filename*', () => {
    expect(contentDisposition('inline', 'wishlist.png')).toBe(`inline; filename="wishlist.png"; filename*=UTF-8''wishlist.png`);
    expect(contentDisposition('attachment', 'Bericht "März".png')).toBe(`attachment; filename="Bericht__M_rz_.png"; filename*=UTF-8''Bericht%20%22M%C3%A4rz%22.png`);
  });

  it('cannot be made to break the header or name a hidden file', () => {
    const header = contentDisposition('attachment', '..\r\nSet-Cookie: x=1');
    expect(header).not.toMatch(/[\r\n]/);
    expect(header).toMatch(/^attachment; filename="_+Set-Cookie__x_1"; filename\*=UTF-8''\.\.%0D%0ASet-Cookie%3A%20x%3D1$/);
  });
});
