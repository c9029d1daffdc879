import { ContainerModule } from 'inversify';
import { LifecycleContribution } from '../core/lifecycle.js';
import { LinkCapture } from './link-capture.js';

/** The knowledge channel's host side: links posted in `plugins.config.bytes.captureChannels` go to the bytes plugin. */
export const knowledgeModule = new ContainerModule(({ bind }) => {
  bind(LifecycleContribution).to(LinkCapture).inSingletonScope();
});
