export { DiscordStandIn, type StandInOptions } from './discord-stand-in.js';
export type { StandInCall, RecordedFile, Violation } from './call-log.js';
export type { GatewayEvent } from './gateway-server.js';
export { fixtureWorld, loadFixture, loadReactionAddFixture, type FixtureName } from './fixtures.js';
export { IDS, defaultWorld, type World } from './stand-in-world.js';
export type { ButtonPress, InteractionHandle, SlashCommand, SlashOptions, UserMessage, UserReaction } from './user-actions.js';
