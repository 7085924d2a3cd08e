import { defineError } from '../errors/app-error.js';

export const ClockBackwardsError = defineError('invalid_request', 422, 'sandbox_clock_backwards');
export const SandboxOnlyError = defineError('permission', 403, 'sandbox_only');
