export type { B2bNetworkRail, B2bMessage, B2bResponse } from './rail.js';
