import { createRequire } from 'node:module';
import { Resvg } from '@resvg/resvg-js';
import { injectable } from 'inversify';
import { OpsroomError } from '../core/errors.js';
import type { MessageAttachment } from '../core/message.js';
import { CHART_FONT } from './chart-svg.js';

const require = createRequire(import.meta.url);

/** Turns a chart's SVG into a PNG on the host (resvg: no browser), with a font shipped as a package, not the system's. */
export const ChartRenderer = Symbol('ChartRenderer');
export interface ChartRenderer {
  /** The PNG attachment `name` for an SVG document; throws E_INTERNAL when the SVG cannot be rendered. */
  png(name: string, svg: string): MessageAttachment;
}

@injectable()
export class ChartRendererImpl implements ChartRenderer {
  private readonly fontFiles = [require.resolve('dejavu-fonts-ttf/ttf/DejaVuSans.ttf'), require.resolve('dejavu-fonts-ttf/ttf/DejaVuSans-Bold.ttf')];

  png(name: string, svg: string): MessageAttachment {
    let data: Buffer;
    try {
      const resvg = new Resvg(svg, {
        background: '#ffffff',
        font: { fontFiles: this.fontFiles, loadSystemFonts: false, defaultFontFamily: CHART_FONT },
      });
      data = resvg.render().asPng();
    } catch (cause) {
      throw new OpsroomError('E_INTERNAL', `the chart ${name} could not be rendered`, { cause });
    }
    return { name, contentType: 'image/png', data };
  }
}
